/** The admin pages' GraphQL operations (members, invitations, keys, protected labels, prices, audit), typed by codegen. */
import { graphql } from '../gql';

export const MembersQuery = graphql(`
  query AdminMembers {
    members {
      role
      joinedAt
      user {
        id
        email
        name
      }
    }
  }
`);

export const SetMemberRoleMutation = graphql(`
  mutation AdminSetMemberRole($userId: ID!, $role: Role!) {
    setMemberRole(userId: $userId, role: $role) {
      role
      user {
        id
      }
    }
  }
`);

export const RemoveMemberMutation = graphql(`
  mutation AdminRemoveMember($userId: ID!) {
    removeMember(userId: $userId) {
      user {
        id
      }
    }
  }
`);

export const PasswordResetLinkMutation = graphql(`
  mutation AdminPasswordResetLink($userId: ID!) {
    createPasswordResetLink(userId: $userId)
  }
`);

export const InvitationsQuery = graphql(`
  query AdminInvitations {
    invitations {
      id
      email
      role
      status
      createdAt
      expiresAt
      lastSentAt
      acceptedAt
      invitedBy {
        name
      }
      acceptedBy {
        name
      }
    }
  }
`);

export const InviteMemberMutation = graphql(`
  mutation AdminInviteMember($email: String!, $role: Role!) {
    inviteMember(email: $email, role: $role) {
      acceptUrl
      emailed
      invitation {
        id
        email
        role
      }
    }
  }
`);

export const ResendInvitationMutation = graphql(`
  mutation AdminResendInvitation($id: ID!) {
    resendInvitation(id: $id) {
      acceptUrl
      emailed
      invitation {
        id
        email
        role
      }
    }
  }
`);

export const RevokeInvitationMutation = graphql(`
  mutation AdminRevokeInvitation($id: ID!) {
    revokeInvitation(id: $id) {
      id
      status
    }
  }
`);

export const ApiKeysQuery = graphql(`
  query AdminApiKeys {
    apiKeys {
      id
      name
      prefix
      role
      scopes
      createdAt
      lastUsedAt
      expiresAt
      revokedAt
      createdBy {
        name
      }
    }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation AdminCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      key
      apiKey {
        id
        name
        prefix
      }
    }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation AdminRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

export const ProtectedLabelsQuery = graphql(`
  query AdminProtectedLabels {
    me {
      id
      workspace {
        id
        protectedLabels
      }
    }
  }
`);

export const SetProtectedLabelsMutation = graphql(`
  mutation AdminSetProtectedLabels($labels: [String!]!) {
    setProtectedLabels(labels: $labels) {
      id
      protectedLabels
    }
  }
`);

export const ModelPricesQuery = graphql(`
  query AdminModelPrices {
    modelPrices {
      model
      inputPerMillion
      outputPerMillion
      updatedAt
    }
  }
`);

export const SetModelPriceMutation = graphql(`
  mutation AdminSetModelPrice($model: String!, $input: Float!, $output: Float!) {
    setModelPrice(model: $model, inputPerMillion: $input, outputPerMillion: $output) {
      model
      inputPerMillion
      outputPerMillion
      updatedAt
    }
  }
`);

export const AuditLogQuery = graphql(`
  query AdminAuditLog($filter: AuditFilter, $first: Int, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          action
          targetType
          targetId
          target
          before
          after
          requestId
          at
          actor {
            id
            name
            email
          }
        }
      }
    }
  }
`);
