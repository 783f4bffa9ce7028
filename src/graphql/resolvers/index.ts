/** Every resolver, assembled: one file per root field (named after it) and one per object type. */
import type { CompleteResolvers } from '../resolver-coverage';
import { DateTime, JSONScalar, TokenCount } from '../scalars';
import { abTest as query_abTest } from './Query/abTest';
import { apiKeys as query_apiKeys } from './Query/apiKeys';
import { auditLog as query_auditLog } from './Query/auditLog';
import { clientPrompts as query_clientPrompts } from './Query/clientPrompts';
import { me as query_me } from './Query/me';
import { sessions as query_sessions } from './Query/sessions';
import { members as query_members } from './Query/members';
import { invitations as query_invitations } from './Query/invitations';
import { metrics as query_metrics } from './Query/metrics';
import { modelPrices as query_modelPrices } from './Query/modelPrices';
import { prompt as query_prompt } from './Query/prompt';
import { promptRevisions as query_promptRevisions } from './Query/promptRevisions';
import { prompts as query_prompts } from './Query/prompts';
import { renderVersion as query_renderVersion } from './Query/renderVersion';
import { resolvePrompt as query_resolvePrompt } from './Query/resolvePrompt';
import { validateTemplate as query_validateTemplate } from './Query/validateTemplate';
import { version as query_version } from './Query/version';
import { versionDiff as query_versionDiff } from './Query/versionDiff';
import { archivePrompt as mutation_archivePrompt } from './Mutation/archivePrompt';
import { deletePrompt as mutation_deletePrompt } from './Mutation/deletePrompt';
import { changePassword as mutation_changePassword } from './Mutation/changePassword';
import { revokeSession as mutation_revokeSession } from './Mutation/revokeSession';
import { inviteMember as mutation_inviteMember } from './Mutation/inviteMember';
import { resendInvitation as mutation_resendInvitation } from './Mutation/resendInvitation';
import { revokeInvitation as mutation_revokeInvitation } from './Mutation/revokeInvitation';
import { acceptInvitation as mutation_acceptInvitation } from './Mutation/acceptInvitation';
import { setMemberRole as mutation_setMemberRole } from './Mutation/setMemberRole';
import { removeMember as mutation_removeMember } from './Mutation/removeMember';
import { createPasswordResetLink as mutation_createPasswordResetLink } from './Mutation/createPasswordResetLink';
import { createApiKey as mutation_createApiKey } from './Mutation/createApiKey';
import { createPrompt as mutation_createPrompt } from './Mutation/createPrompt';
import { createVersion as mutation_createVersion } from './Mutation/createVersion';
import { createWorkspace as mutation_createWorkspace } from './Mutation/createWorkspace';
import { recordCall as mutation_recordCall } from './Mutation/recordCall';
import { recordCalls as mutation_recordCalls } from './Mutation/recordCalls';
import { recordFeedback as mutation_recordFeedback } from './Mutation/recordFeedback';
import { removeLabel as mutation_removeLabel } from './Mutation/removeLabel';
import { revokeApiKey as mutation_revokeApiKey } from './Mutation/revokeApiKey';
import { rollback as mutation_rollback } from './Mutation/rollback';
import { setLabel as mutation_setLabel } from './Mutation/setLabel';
import { setModelPrice as mutation_setModelPrice } from './Mutation/setModelPrice';
import { setProtectedLabels as mutation_setProtectedLabels } from './Mutation/setProtectedLabels';
import { startABTest as mutation_startABTest } from './Mutation/startABTest';
import { stopABTest as mutation_stopABTest } from './Mutation/stopABTest';
import { unarchivePrompt as mutation_unarchivePrompt } from './Mutation/unarchivePrompt';
import { updateABTest as mutation_updateABTest } from './Mutation/updateABTest';
import { updatePrompt as mutation_updatePrompt } from './Mutation/updatePrompt';
import { abTestUpdated as subscription_abTestUpdated } from './Subscription/abTestUpdated';
import { metricsUpdated as subscription_metricsUpdated } from './Subscription/metricsUpdated';
import { promptChanged as subscription_promptChanged } from './Subscription/promptChanged';
import { ABTest } from './types/ABTest';
import { ABVariant } from './types/ABVariant';
import { ABVariantResult } from './types/ABVariantResult';
import { Actor } from './types/Actor';
import { ApiKey } from './types/ApiKey';
import { Session } from './types/Session';
import { Invitation } from './types/Invitation';
import { AuditEntry } from './types/AuditEntry';
import { Label } from './types/Label';
import { LabelMove } from './types/LabelMove';
import { Principal } from './types/Principal';
import { Prompt } from './types/Prompt';
import { PromptChangeEvent } from './types/PromptChangeEvent';
import { PromptVersion } from './types/PromptVersion';

import { webhooks as query_webhooks } from './Query/webhooks';
import { webhook as query_webhook } from './Query/webhook';
import { alerts as query_alerts } from './Query/alerts';
import { fleet as query_fleet } from './Query/fleet';
import { reportClientState as mutation_reportClientState } from './Mutation/reportClientState';
import { createWebhook as mutation_createWebhook } from './Mutation/createWebhook';
import { updateWebhook as mutation_updateWebhook } from './Mutation/updateWebhook';
import { deleteWebhook as mutation_deleteWebhook } from './Mutation/deleteWebhook';
import { rotateWebhookSecret as mutation_rotateWebhookSecret } from './Mutation/rotateWebhookSecret';
import { testWebhook as mutation_testWebhook } from './Mutation/testWebhook';
import { redeliverWebhook as mutation_redeliverWebhook } from './Mutation/redeliverWebhook';
import { redeliverFailedWebhooks as mutation_redeliverFailedWebhooks } from './Mutation/redeliverFailedWebhooks';
import { createAlert as mutation_createAlert } from './Mutation/createAlert';
import { deleteAlert as mutation_deleteAlert } from './Mutation/deleteAlert';
import { alertUpdated as subscription_alertUpdated } from './Subscription/alertUpdated';
import { Alert } from './types/Alert';
import { Fleet } from './types/Fleet';
import { Webhook } from './types/Webhook';
import { WebhookDelivery } from './types/WebhookDelivery';

export const resolvers = {
  DateTime,
  JSON: JSONScalar,
  TokenCount,
  Query: {
    abTest: query_abTest,
    apiKeys: query_apiKeys,
    auditLog: query_auditLog,
    clientPrompts: query_clientPrompts,
    me: query_me,
    sessions: query_sessions,
    members: query_members,
    invitations: query_invitations,
    metrics: query_metrics,
    modelPrices: query_modelPrices,
    prompt: query_prompt,
    promptRevisions: query_promptRevisions,
    prompts: query_prompts,
    renderVersion: query_renderVersion,
    resolvePrompt: query_resolvePrompt,
    validateTemplate: query_validateTemplate,
    version: query_version,
    versionDiff: query_versionDiff,
    webhooks: query_webhooks,
    webhook: query_webhook,
    alerts: query_alerts,
    fleet: query_fleet,
  },
  Mutation: {
    archivePrompt: mutation_archivePrompt,
    deletePrompt: mutation_deletePrompt,
    changePassword: mutation_changePassword,
    revokeSession: mutation_revokeSession,
    inviteMember: mutation_inviteMember,
    resendInvitation: mutation_resendInvitation,
    revokeInvitation: mutation_revokeInvitation,
    acceptInvitation: mutation_acceptInvitation,
    setMemberRole: mutation_setMemberRole,
    removeMember: mutation_removeMember,
    createPasswordResetLink: mutation_createPasswordResetLink,
    createApiKey: mutation_createApiKey,
    createPrompt: mutation_createPrompt,
    createVersion: mutation_createVersion,
    createWorkspace: mutation_createWorkspace,
    recordCall: mutation_recordCall,
    recordCalls: mutation_recordCalls,
    recordFeedback: mutation_recordFeedback,
    removeLabel: mutation_removeLabel,
    revokeApiKey: mutation_revokeApiKey,
    rollback: mutation_rollback,
    setLabel: mutation_setLabel,
    setModelPrice: mutation_setModelPrice,
    setProtectedLabels: mutation_setProtectedLabels,
    startABTest: mutation_startABTest,
    stopABTest: mutation_stopABTest,
    unarchivePrompt: mutation_unarchivePrompt,
    updateABTest: mutation_updateABTest,
    updatePrompt: mutation_updatePrompt,
    createWebhook: mutation_createWebhook,
    updateWebhook: mutation_updateWebhook,
    deleteWebhook: mutation_deleteWebhook,
    rotateWebhookSecret: mutation_rotateWebhookSecret,
    testWebhook: mutation_testWebhook,
    redeliverWebhook: mutation_redeliverWebhook,
    redeliverFailedWebhooks: mutation_redeliverFailedWebhooks,
    createAlert: mutation_createAlert,
    deleteAlert: mutation_deleteAlert,
    reportClientState: mutation_reportClientState,
  },
  Subscription: {
    abTestUpdated: subscription_abTestUpdated,
    metricsUpdated: subscription_metricsUpdated,
    promptChanged: subscription_promptChanged,
    alertUpdated: subscription_alertUpdated,
  },
  Alert,
  Fleet,
  Webhook,
  WebhookDelivery,
  ABTest,
  ABVariant,
  ABVariantResult,
  Actor,
  ApiKey,
  Session,
  Invitation,
  AuditEntry,
  Label,
  LabelMove,
  Principal,
  Prompt,
  PromptChangeEvent,
  PromptVersion,
} satisfies CompleteResolvers;
