import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed documents for the tests and scripts, generated from the committed schema: a renamed field breaks
// the type check, not a user.
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["test/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts", "!test/generated/**"],
  generates: {
    "test/generated/": {
      preset: "client",
      config: { emitLegacyCommonJSImports: false, scalars: { Money: "string", Date: "string", DateTime: "string" }, enumsAsTypes: true, useTypeImports: true },
      presetConfig: { fragmentMasking: false },
    },
  },
  // Only `graphql(...)` calls are typed documents; the tests' own `gql(...)` helpers build queries at run time.
  pluckConfig: { globalGqlIdentifierName: ["graphql"], gqlMagicComment: "graphql" },
  silent: true,
};

export default config;
