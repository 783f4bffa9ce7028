/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me {\n      id\n      name\n      role\n      isInstanceAdmin\n      workspace {\n        id\n        name\n      }\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        workspace {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.MeDocument,
    "\n  query PromptList($filter: PromptFilter, $first: Int, $after: String) {\n    prompts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          tags\n          revision\n          archivedAt\n          updatedAt\n          activeVersion {\n            id\n            number\n          }\n          latestVersion {\n            id\n            number\n            createdAt\n            createdBy {\n              name\n            }\n          }\n          labelHistory(first: 1) {\n            label\n            at\n            actor {\n              name\n            }\n            toVersion {\n              number\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.PromptListDocument,
    "\n  query PromptNames($after: String) {\n    prompts(filter: { includeArchived: true }, first: 500, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          name\n          tags\n          archivedAt\n        }\n      }\n    }\n  }\n": typeof types.PromptNamesDocument,
    "\n  query PromptCosts($since: DateTime!) {\n    metrics(filter: { from: $since }, groupBy: [PROMPT]) {\n      promptName\n      totalCalls\n      totalCost\n    }\n  }\n": typeof types.PromptCostsDocument,
    "\n  subscription PromptChanged($name: String) {\n    promptChanged(name: $name) {\n      kind\n      promptName\n      label\n      revision\n      at\n      version {\n        id\n        number\n      }\n      actor {\n        name\n      }\n    }\n  }\n": typeof types.PromptChangedDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      id\n      name\n      role\n      isInstanceAdmin\n      workspace {\n        id\n        name\n      }\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        workspace {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.MeDocument,
    "\n  query PromptList($filter: PromptFilter, $first: Int, $after: String) {\n    prompts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          tags\n          revision\n          archivedAt\n          updatedAt\n          activeVersion {\n            id\n            number\n          }\n          latestVersion {\n            id\n            number\n            createdAt\n            createdBy {\n              name\n            }\n          }\n          labelHistory(first: 1) {\n            label\n            at\n            actor {\n              name\n            }\n            toVersion {\n              number\n            }\n          }\n        }\n      }\n    }\n  }\n": types.PromptListDocument,
    "\n  query PromptNames($after: String) {\n    prompts(filter: { includeArchived: true }, first: 500, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          name\n          tags\n          archivedAt\n        }\n      }\n    }\n  }\n": types.PromptNamesDocument,
    "\n  query PromptCosts($since: DateTime!) {\n    metrics(filter: { from: $since }, groupBy: [PROMPT]) {\n      promptName\n      totalCalls\n      totalCost\n    }\n  }\n": types.PromptCostsDocument,
    "\n  subscription PromptChanged($name: String) {\n    promptChanged(name: $name) {\n      kind\n      promptName\n      label\n      revision\n      at\n      version {\n        id\n        number\n      }\n      actor {\n        name\n      }\n    }\n  }\n": types.PromptChangedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      name\n      role\n      isInstanceAdmin\n      workspace {\n        id\n        name\n      }\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        workspace {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      name\n      role\n      isInstanceAdmin\n      workspace {\n        id\n        name\n      }\n      user {\n        id\n        email\n        name\n      }\n      memberships {\n        role\n        workspace {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PromptList($filter: PromptFilter, $first: Int, $after: String) {\n    prompts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          tags\n          revision\n          archivedAt\n          updatedAt\n          activeVersion {\n            id\n            number\n          }\n          latestVersion {\n            id\n            number\n            createdAt\n            createdBy {\n              name\n            }\n          }\n          labelHistory(first: 1) {\n            label\n            at\n            actor {\n              name\n            }\n            toVersion {\n              number\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PromptList($filter: PromptFilter, $first: Int, $after: String) {\n    prompts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          tags\n          revision\n          archivedAt\n          updatedAt\n          activeVersion {\n            id\n            number\n          }\n          latestVersion {\n            id\n            number\n            createdAt\n            createdBy {\n              name\n            }\n          }\n          labelHistory(first: 1) {\n            label\n            at\n            actor {\n              name\n            }\n            toVersion {\n              number\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PromptNames($after: String) {\n    prompts(filter: { includeArchived: true }, first: 500, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          name\n          tags\n          archivedAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PromptNames($after: String) {\n    prompts(filter: { includeArchived: true }, first: 500, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          name\n          tags\n          archivedAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PromptCosts($since: DateTime!) {\n    metrics(filter: { from: $since }, groupBy: [PROMPT]) {\n      promptName\n      totalCalls\n      totalCost\n    }\n  }\n"): (typeof documents)["\n  query PromptCosts($since: DateTime!) {\n    metrics(filter: { from: $since }, groupBy: [PROMPT]) {\n      promptName\n      totalCalls\n      totalCost\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PromptChanged($name: String) {\n    promptChanged(name: $name) {\n      kind\n      promptName\n      label\n      revision\n      at\n      version {\n        id\n        number\n      }\n      actor {\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription PromptChanged($name: String) {\n    promptChanged(name: $name) {\n      kind\n      promptName\n      label\n      revision\n      at\n      version {\n        id\n        number\n      }\n      actor {\n        name\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;