/**
 * Data access of deletePrompt: removes a prompt and every row that belongs to it. Versions and label
 * history are immutable in the database (migration 0001); the purge passes their triggers only because
 * this transaction names the prompt in `prompt_service.purging_prompt` (migration 0008).
 * Recorded calls and rollups stay: they are facts about calls that happened (no foreign key to versions).
 */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { abTests, clientInstancePrompts, labelHistory, labels, prompts, promptVersions } from '../db/schema';

export async function purgePrompt(tx: Executor, promptId: string): Promise<{ versions: number }> {
  await tx.execute(sql`/* purgePrompt */ select set_config('prompt_service.purging_prompt', ${promptId}, true)`);
  await tx.delete(abTests).where(eq(abTests.promptId, promptId));
  // What client instances reported holding of it (the fleet view): nothing to show once it is gone.
  await tx.delete(clientInstancePrompts).where(eq(clientInstancePrompts.promptId, promptId));
  await tx.delete(labels).where(eq(labels.promptId, promptId));
  await tx.delete(labelHistory).where(eq(labelHistory.promptId, promptId));
  const versions = await tx.delete(promptVersions).where(eq(promptVersions.promptId, promptId)).returning({ id: promptVersions.id });
  await tx.delete(prompts).where(eq(prompts.id, promptId));
  await tx.execute(sql`/* purgePrompt */ select set_config('prompt_service.purging_prompt', '', true)`);
  return { versions: versions.length };
}
