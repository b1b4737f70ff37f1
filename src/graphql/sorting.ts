import { registerEnumType } from "type-graphql";

export enum SortDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(SortDirection, { name: "SortDirection" });

export const prismaDirection = (direction: SortDirection | undefined): "asc" | "desc" =>
  direction === SortDirection.DESC ? "desc" : "asc";
