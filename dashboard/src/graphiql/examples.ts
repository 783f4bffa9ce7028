/**
 * The example operations GraphiQL opens with (one tab each, used only when no tabs are remembered in
 * this browser): the common tasks, at page sizes that pass the server's cost limit.
 */
export type ExampleTab = { query: string; variables?: string };

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const EXAMPLE_TABS: ExampleTab[] = [
  {
    query: `# The workspace's prompts, their active version and labels.
# Press Ctrl-Enter (or the play button) to run.
query ListPrompts {
  prompts(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        name
        description
        tags
        activeVersion { id number }
        labels { name version { id number } }
      }
    }
  }
}
`,
  },
  {
    query: `# Render a prompt as a service would: the version behind a label, with variables filled in.
query ResolvePrompt($name: String!, $variables: JSON, $label: String) {
  resolvePrompt(name: $name, variables: $variables, label: $label) {
    text
    model
    temperature
    versionId
    versionNumber
  }
}
`,
    variables: json({ name: 'support/classifier', variables: { ticket: 'I was charged twice' }, label: 'production' }),
  },
  {
    query: `# Add a version to a prompt (optionally pointing labels at it).
mutation CreateVersion($input: CreateVersionInput!) {
  createVersion(input: $input) {
    id
    number
    contractChanges
  }
}
`,
    variables: json({
      input: {
        promptName: 'support/classifier',
        template: 'Classify this ticket into billing, bug or other: {{ticket}}',
        labels: ['staging'],
        message: 'explicit classes',
      },
    }),
  },
  {
    query: `# Move a label (here production) to a version; the reason lands in the label history.
mutation MoveLabel($promptName: String!, $label: String!, $versionId: ID!, $reason: String) {
  setLabel(promptName: $promptName, label: $label, versionId: $versionId, reason: $reason) {
    name
    revision
    labels { name version { number } }
  }
}
`,
    variables: json({ promptName: 'support/classifier', label: 'production', versionId: '<a version id from ListPrompts>', reason: 'better classes' }),
  },
  {
    query: `# Compare two versions: a unified diff of the templates and every other field that differs.
query VersionDiff($from: ID!, $to: ID!) {
  versionDiff(fromVersionId: $from, toVersionId: $to) {
    from { number }
    to { number }
    templateDiff
    changes { field from to }
  }
}
`,
    variables: json({ from: '<version id>', to: '<version id>' }),
  },
];
