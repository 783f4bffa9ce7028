/** The label names with a fixed meaning, named once. */

/** The implicit label: always the newest version. Never set, moved, protected or put under a test. */
export const LATEST_LABEL = 'latest';

/** What a workspace protects until an ADMIN says otherwise (`setProtectedLabels`); the column default says the same. */
export const DEFAULT_PROTECTED_LABELS: readonly string[] = ['production'];
