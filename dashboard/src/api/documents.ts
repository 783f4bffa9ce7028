/** Every GraphQL operation of the dashboard, typed by codegen (`npm run codegen` → src/gql). */
import { graphql } from '../gql';

export const MeQuery = graphql(`
  query Me {
    me {
      id
      name
      role
      isInstanceAdmin
      workspace {
        id
        name
      }
      user {
        id
        email
        name
      }
      memberships {
        role
        workspace {
          id
          name
        }
      }
    }
  }
`);

export const PromptListQuery = graphql(`
  query PromptList($filter: PromptFilter, $first: Int, $after: String) {
    prompts(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          description
          tags
          revision
          archivedAt
          updatedAt
          activeVersion {
            id
            number
          }
          latestVersion {
            id
            number
            createdAt
            createdBy {
              name
            }
          }
          labelHistory(first: 1) {
            label
            at
            actor {
              name
            }
            toVersion {
              number
            }
          }
        }
      }
    }
  }
`);

export const PromptNamesQuery = graphql(`
  query PromptNames($after: String) {
    prompts(filter: { includeArchived: true }, first: 500, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          name
          tags
          archivedAt
        }
      }
    }
  }
`);

export const PromptCostsQuery = graphql(`
  query PromptCosts($since: DateTime!) {
    metrics(filter: { from: $since }, groupBy: [PROMPT]) {
      promptName
      totalCalls
      totalCost
    }
  }
`);

export const PromptChangedSubscription = graphql(`
  subscription PromptChanged($name: String) {
    promptChanged(name: $name) {
      kind
      promptName
      label
      revision
      at
      version {
        id
        number
      }
      actor {
        name
      }
    }
  }
`);
