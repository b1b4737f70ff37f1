import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "The contact whose personal data was erased (the record stays, pseudonymised)." })
export class EraseContactPayload {
  @Field(() => ID) erasedId!: string;
}
