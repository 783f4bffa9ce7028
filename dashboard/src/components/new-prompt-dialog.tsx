/** "New prompt": name (folders with `/`), description, tags and the first version's template (it goes to production). */
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { useLocation } from 'wouter';
import { CreatePromptMutation } from '../api/documents';
import { explainError } from '../lib/errors';
import { Dialog } from './dialog';

const NAME_RE = /^[a-z0-9][a-z0-9._/-]{0,127}$/;

export function NewPromptDialog({ onClose, folder }: { onClose: () => void; folder: string }) {
  const [name, setName] = useState(folder ? `${folder}/` : '');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [template, setTemplate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [state, create] = useMutation(CreatePromptMutation);
  const [, navigate] = useLocation();
  const nameProblem = name && !NAME_RE.test(name) ? 'Lower-case letters, digits, ".", "_", "-" and "/" (for folders); it starts with a letter or digit.' : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const r = await create({
      input: {
        name,
        description: description.trim() || null,
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        version: { template, message: 'first version' },
      },
    });
    if (r.error || !r.data) {
      const code = r.error?.graphQLErrors[0]?.extensions?.code;
      return setError(code === 'CONFLICT' ? `A prompt named “${name}” exists already.` : explainError(r.error));
    }
    navigate(`/prompts/${r.data.createPrompt.name}`);
  }

  return (
    <Dialog title="New prompt" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
            required
            placeholder="support/classifier"
            aria-describedby="name-help"
            data-autofocus
          />
          <span id="name-help" className={nameProblem ? 'error small' : 'muted small'}>
            {nameProblem ?? 'Slashes make folders, e.g. support/classifier.'}
          </span>
        </label>
        <label className="field">
          <span>Description (optional)</span>
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label className="field">
          <span>Tags (comma-separated, optional)</span>
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
        <label className="field">
          <span>Template of the first version (it goes to production)</span>
          <textarea
            className="mono"
            rows={4}
            required
            value={template}
            onChange={(e) => setTemplate(e.target.value)}
            placeholder="Classify this ticket: {{ticket}}"
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={state.fetching || !!nameProblem || !name || !template}>
            {state.fetching ? 'Creating…' : 'Create prompt'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
