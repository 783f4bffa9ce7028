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

export const PromptPageQuery = graphql(`
  query PromptPage($name: String!) {
    prompt(name: $name) {
      id
      name
      description
      tags
      revision
      archivedAt
      createdAt
      viewerCanEdit
      viewerCanPublish
      viewerCanRollback
      activeVersion {
        id
        number
      }
      abTests {
        id
        label
        status
      }
      labels {
        name
        protected
        updatedAt
        updatedBy {
          name
        }
        version {
          id
          number
        }
      }
      versions(first: 50) {
        id
        number
        type
        message
        model
        temperature
        maxTokens
        labels
        createdAt
        createdBy {
          name
        }
        template
        systemMessage
        messages {
          role
          content
        }
        variables {
          name
          type
          values
          required
          description
        }
        warnings
      }
      labelHistory(first: 30) {
        id
        label
        at
        reason
        actor {
          name
        }
        fromVersion {
          id
          number
        }
        toVersion {
          id
          number
        }
      }
    }
  }
`);

export const VersionDiffQuery = graphql(`
  query VersionDiff($from: ID!, $to: ID!) {
    versionDiff(fromVersionId: $from, toVersionId: $to) {
      templateDiff
      changes {
        field
        from
        to
      }
    }
  }
`);

export const SetLabelMutation = graphql(`
  mutation SetLabel($promptName: String!, $label: String!, $versionId: ID!, $expectedRevision: Int, $reason: String) {
    setLabel(promptName: $promptName, label: $label, versionId: $versionId, expectedRevision: $expectedRevision, reason: $reason) {
      id
      revision
    }
  }
`);

export const RollbackMutation = graphql(`
  mutation Rollback($promptName: String!, $expectedRevision: Int, $reason: String) {
    rollback(promptName: $promptName, expectedRevision: $expectedRevision, reason: $reason) {
      id
      revision
    }
  }
`);

export const EditorQuery = graphql(`
  query EditorBase($name: String!) {
    prompt(name: $name) {
      id
      name
      revision
      viewerCanEdit
      versions(first: 30) {
        id
        number
        type
        template
        systemMessage
        messages {
          role
          content
        }
        variables {
          name
          type
          values
          required
          default
          description
        }
        model
        temperature
        maxTokens
        config
      }
    }
    includable: prompts(first: 200) {
      edges {
        node {
          name
        }
      }
    }
  }
`);

export const ValidateQuery = graphql(`
  query ValidateDraft($template: String, $messages: [ChatMessageInput!], $systemMessage: String, $variables: [VariableInput!], $basedOnVersionId: ID) {
    validateTemplate(template: $template, messages: $messages, systemMessage: $systemMessage, variables: $variables, basedOnVersionId: $basedOnVersionId) {
      valid
      errors {
        message
        line
        column
        field
      }
      warnings
      variables {
        name
        type
        values
        required
        default
        description
      }
      contractChanges
    }
  }
`);

export const CreateVersionMutation = graphql(`
  mutation CreateVersion($input: CreateVersionInput!) {
    createVersion(input: $input) {
      id
      number
      contractChanges
    }
  }
`);

export const RenderQuery = graphql(`
  query RenderVersion($versionId: ID!, $variables: JSON) {
    renderVersion(versionId: $versionId, variables: $variables) {
      text
      systemMessage
      messages {
        role
        content
      }
      model
      versionNumber
      warnings
    }
  }
`);

export const CompareQuery = graphql(`
  query Compare($name: String!) {
    prompt(name: $name) {
      id
      name
      versions(first: 100) {
        id
        number
        type
        template
        systemMessage
        messages {
          role
          content
        }
        message
      }
    }
  }
`);

export const CreatePromptMutation = graphql(`
  mutation CreatePrompt($input: CreatePromptInput!) {
    createPrompt(input: $input) {
      id
      name
    }
  }
`);
