/** Model prices: the list prices with this workspace's overrides (USD per million tokens); ADMINs set one per model. */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ModelPricesQuery, SetModelPriceMutation } from '../../api/admin';
import { useNotify } from '../../components/notices';
import { Reason } from '../../components/reason';
import { explainError } from '../../lib/errors';
import { formatAgo } from '../../lib/format';
import { cannotAdminister } from '../../lib/permissions';
import { useWorkspace } from '../../workspace';
import { AdminTable } from './admin-table';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });

export function ModelPricesSection() {
  const { me } = useWorkspace();
  const notify = useNotify();
  const [q, refetch] = useQuery({ query: ModelPricesQuery, requestPolicy: 'cache-and-network' });
  const [saving, save] = useMutation(SetModelPriceMutation);
  const [model, setModel] = useState('');
  const [input, setInput] = useState('');
  const [output, setOutput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const blocked = cannotAdminister(me.role, 'Setting a price');
  const prices = q.data?.modelPrices ?? [];

  function edit(p: { model: string; inputPerMillion: number; outputPerMillion: number }) {
    setModel(p.model);
    setInput(String(p.inputPerMillion));
    setOutput(String(p.outputPerMillion));
    document.getElementById('price-model')?.focus();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const inPrice = Number(input);
    const outPrice = Number(output);
    if (!model.trim()) return setError('Give the model name as your calls report it, e.g. gpt-4o-mini.');
    if (!Number.isFinite(inPrice) || inPrice < 0 || !Number.isFinite(outPrice) || outPrice < 0 || input === '' || output === '')
      return setError('Prices are numbers of US dollars per million tokens, 0 or more.');
    const r = await save({ model: model.trim(), input: inPrice, output: outPrice });
    if (r.error) return setError(explainError(r.error));
    notify(`${model.trim()}: ${usd.format(inPrice)} in, ${usd.format(outPrice)} out per million tokens`);
    setModel('');
    setInput('');
    setOutput('');
    refetch({ requestPolicy: 'network-only' });
  }

  return (
    <>
      <p className="muted">Used for the cost of calls that report tokens but no cost. A price set here overrides the list price for this workspace.</p>
      <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-labelledby="price-title">
        <h3 id="price-title" className="small-title">
          Set a price
        </h3>
        <div className="form-row">
          <label className="field grow">
            <span>Model</span>
            <input id="price-model" list="known-models" value={model} onChange={(e) => setModel(e.target.value)} disabled={!!blocked} autoComplete="off" />
            <datalist id="known-models">
              {prices.map((p) => (
                <option key={p.model} value={p.model} />
              ))}
            </datalist>
          </label>
          <label className="field">
            <span>Input, $ per 1M tokens</span>
            <input type="number" min="0" step="any" inputMode="decimal" value={input} onChange={(e) => setInput(e.target.value)} disabled={!!blocked} />
          </label>
          <label className="field">
            <span>Output, $ per 1M tokens</span>
            <input type="number" min="0" step="any" inputMode="decimal" value={output} onChange={(e) => setOutput(e.target.value)} disabled={!!blocked} />
          </label>
          <button type="submit" className="btn primary form-submit" disabled={!!blocked || saving.fetching}>
            Save price
          </button>
        </div>
        <Reason id="price-reason" text={blocked} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <AdminTable
        result={q}
        what="prices"
        retry={() => refetch({ requestPolicy: 'network-only' })}
        rowCount={prices.length}
        empty="No prices yet. Set one above."
        testId="model-prices"
        columns={['Model', { label: 'Input / 1M', className: 'num' }, { label: 'Output / 1M', className: 'num' }, 'Updated']}
      >
        {prices.map((p) => (
          <tr key={p.model} data-testid="price-row" data-model={p.model}>
            <td data-label="Model">
              <code>{p.model}</code>
            </td>
            <td className="num" data-label="Input / 1M">
              {usd.format(p.inputPerMillion)}
            </td>
            <td className="num" data-label="Output / 1M">
              {usd.format(p.outputPerMillion)}
            </td>
            <td data-label="Updated">{formatAgo(p.updatedAt)}</td>
            <td className="row-actions" data-label="">
              <button type="button" className="btn small" disabled={!!blocked} onClick={() => edit(p)} aria-label={`Edit the price of ${p.model}`}>
                Edit
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
    </>
  );
}
