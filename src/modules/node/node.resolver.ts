import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import type { NodeFetcher } from "../../graphql/domain-module.js";
import { notFound } from "../../errors/api-errors.js";
import { Node, parseGlobalId } from "../../graphql/relay.js";


export function createNodeResolver(fetchers: Readonly<Record<string, NodeFetcher>>) {
  @Resolver()
  class NodeResolver {
    @Query(() => Node, { description: "Any object by global id; NOT_FOUND when missing or outside the viewer's scope." })
    async node(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext): Promise<object> {
      const typeName = parseGlobalId(id)?.typeName;
      const fetch = typeName ? fetchers[typeName] : undefined;
      if (!typeName || !fetch) throw notFound("Node");
      return { ...(await fetch(ctx, id)), __typename: typeName };
    }
  }
  return NodeResolver;
}
