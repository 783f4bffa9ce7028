/**
 * OTLP trace payloads (ExportTraceServiceRequest) decoded into plain spans, from OTLP/JSON or the
 * protobuf wire format (a small reader of exactly the fields we use; unknown fields are skipped as the
 * spec requires), and the GenAI span → recorded call mapping. Pure: no I/O.
 */
import { BadInputError } from '../errors';
import type { CallInput } from './validate-call';

/** The attribute that ties a span to a prompt version (README "OpenTelemetry"). */
export const VERSION_ID_ATTRIBUTE = 'prompt_service.version_id';
export const REQUEST_ID_ATTRIBUTE = 'prompt_service.request_id';
export const RUN_ID_ATTRIBUTE = 'prompt_service.run_id';

export type AttributeValue = string | number | boolean | null;
export type OtlpSpan = {
  traceId: string;
  spanId: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Map<string, AttributeValue>;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
};

const bad = (message: string) => new BadInputError('body', message);

// ---------------------------------------------------------------- protobuf

type Reader = { buf: Uint8Array; pos: number; end: number };

function varint(r: Reader): bigint {
  let result = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (r.pos >= r.end) throw bad('Truncated protobuf varint.');
    const b = r.buf[r.pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result & 0xffffffffffffffffn;
  }
  throw bad('Malformed protobuf varint.');
}

function fixed64(r: Reader): bigint {
  if (r.pos + 8 > r.end) throw bad('Truncated protobuf fixed64.');
  const v = new DataView(r.buf.buffer, r.buf.byteOffset + r.pos, 8).getBigUint64(0, true);
  r.pos += 8;
  return v;
}

function bytes(r: Reader): Reader {
  const len = Number(varint(r));
  if (r.pos + len > r.end) throw bad('Truncated protobuf field.');
  const sub = { buf: r.buf, pos: r.pos, end: r.pos + len };
  r.pos += len;
  return sub;
}

/** Calls `field` for each field of the message; a field it does not consume is skipped by wire type. */
function fields(r: Reader, field: (no: number, wire: number, r: Reader) => boolean): void {
  while (r.pos < r.end) {
    const tag = Number(varint(r));
    const no = tag >>> 3;
    const wire = tag & 7;
    if (field(no, wire, r)) continue;
    if (wire === 0) varint(r);
    else if (wire === 1) r.pos += 8;
    else if (wire === 2) bytes(r);
    else if (wire === 5) r.pos += 4;
    else throw bad(`Unsupported protobuf wire type ${wire}.`);
    if (r.pos > r.end) throw bad('Truncated protobuf field.');
  }
}

const text = (r: Reader) => new TextDecoder('utf-8', { fatal: false }).decode(r.buf.subarray(r.pos, r.end));
const hex = (r: Reader) => Buffer.from(r.buf.subarray(r.pos, r.end)).toString('hex');
const signed = (v: bigint) => Number(BigInt.asIntN(64, v));

function anyValue(r: Reader): AttributeValue {
  let value: AttributeValue = null;
  fields(r, (no, wire, f) => {
    if (no === 1 && wire === 2) value = text(bytes(f));
    else if (no === 2 && wire === 0) value = varint(f) !== 0n;
    else if (no === 3 && wire === 0) value = signed(varint(f));
    else if (no === 4 && wire === 1) {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, fixed64(f), true);
      value = view.getFloat64(0, true);
    } else return false; // arrays, kvlists, bytes: not used by the mapping
    return true;
  });
  return value;
}

function keyValue(r: Reader, into: Map<string, AttributeValue>): void {
  let key = '';
  let value: AttributeValue = null;
  fields(r, (no, wire, f) => {
    if (no === 1 && wire === 2) key = text(bytes(f));
    else if (no === 2 && wire === 2) value = anyValue(bytes(f));
    else return false;
    return true;
  });
  into.set(key, value);
}

function protoSpan(r: Reader): OtlpSpan {
  const span: OtlpSpan = { traceId: '', spanId: '', name: '', startNs: 0n, endNs: 0n, attributes: new Map(), statusCode: 0 };
  fields(r, (no, wire, f) => {
    if (no === 1 && wire === 2) span.traceId = hex(bytes(f));
    else if (no === 2 && wire === 2) span.spanId = hex(bytes(f));
    else if (no === 5 && wire === 2) span.name = text(bytes(f));
    else if (no === 7 && wire === 1) span.startNs = fixed64(f);
    else if (no === 8 && wire === 1) span.endNs = fixed64(f);
    else if (no === 9 && wire === 2) keyValue(bytes(f), span.attributes);
    else if (no === 15 && wire === 2)
      fields(bytes(f), (sno, swire, s) => {
        if (sno !== 3 || swire !== 0) return false;
        span.statusCode = Number(varint(s));
        return true;
      });
    else return false;
    return true;
  });
  return span;
}

/** ExportTraceServiceRequest (protobuf): resource_spans(1) → scope_spans(2) → spans(2). */
export function decodeProtobufSpans(body: Uint8Array, maxSpans: number): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  const push = (s: OtlpSpan) => {
    if (spans.length >= maxSpans) throw bad(`At most ${maxSpans} spans per request.`);
    spans.push(s);
  };
  fields({ buf: body, pos: 0, end: body.length }, (no, wire, r) => {
    if (no !== 1 || wire !== 2) return false;
    fields(bytes(r), (rno, rwire, rs) => {
      if (rno !== 2 || rwire !== 2) return false;
      fields(bytes(rs), (sno, swire, ss) => {
        if (sno !== 2 || swire !== 2) return false;
        push(protoSpan(bytes(ss)));
        return true;
      });
      return true;
    });
    return true;
  });
  return spans;
}

/** ExportTraceServiceResponse: empty on full success, else partial_success(1) { rejected_spans(1), error_message(2) }. */
export function encodeProtobufResponse(rejected: number, message: string): Uint8Array {
  if (rejected === 0) return new Uint8Array(0);
  const varintBytes = (n: number) => {
    const out: number[] = [];
    let v = n;
    while (v > 0x7f) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
    return out;
  };
  const msg = Buffer.from(message, 'utf8');
  const inner = [0x08, ...varintBytes(rejected), 0x12, ...varintBytes(msg.length), ...msg];
  return Uint8Array.from([0x0a, ...varintBytes(inner.length), ...inner]);
}

// ---------------------------------------------------------------- JSON

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function jsonValue(v: unknown): AttributeValue {
  if (!isObject(v)) return null;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.boolValue === 'boolean') return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue); // int64: a number or a decimal string
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  return null;
}

function nanos(v: unknown): bigint {
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return BigInt(Math.round(v));
  return 0n;
}

/** OTLP/JSON: lowerCamelCase fields, hex trace and span ids, int64 as numbers or strings. */
export function decodeJsonSpans(body: unknown, maxSpans: number): OtlpSpan[] {
  if (!isObject(body)) throw bad('The body is not an OTLP ExportTraceServiceRequest object.');
  const spans: OtlpSpan[] = [];
  for (const rs of list(body.resourceSpans)) {
    if (!isObject(rs)) continue;
    for (const ss of list(rs.scopeSpans)) {
      if (!isObject(ss)) continue;
      for (const s of list(ss.spans)) {
        if (!isObject(s)) continue;
        if (spans.length >= maxSpans) throw bad(`At most ${maxSpans} spans per request.`);
        const attributes = new Map<string, AttributeValue>();
        for (const kv of list(s.attributes)) if (isObject(kv) && typeof kv.key === 'string') attributes.set(kv.key, jsonValue(kv.value));
        spans.push({
          traceId: typeof s.traceId === 'string' ? s.traceId.toLowerCase() : '',
          spanId: typeof s.spanId === 'string' ? s.spanId.toLowerCase() : '',
          name: typeof s.name === 'string' ? s.name : '',
          startNs: nanos(s.startTimeUnixNano),
          endNs: nanos(s.endTimeUnixNano),
          attributes,
          statusCode: isObject(s.status) ? Number(s.status.code ?? 0) : 0,
        });
      }
    }
  }
  return spans;
}

// ---------------------------------------------------------------- span → call

const str = (a: Map<string, AttributeValue>, ...keys: string[]): string | null => {
  for (const k of keys) {
    const v = a.get(k);
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return null;
};
const num = (a: Map<string, AttributeValue>, ...keys: string[]): number | null => {
  for (const k of keys) {
    const v = a.get(k);
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  return null;
};

/**
 * A span carrying `prompt_service.version_id` as a call (null for every other span): GenAI semantic
 * conventions for model and tokens (the older `prompt_tokens`/`completion_tokens` names too, as
 * OpenLLMetry sent them), duration as latency, error status as a failure, and a call id from the trace
 * and span ids, so a re-export is recorded once.
 */
export function callOfSpan(span: OtlpSpan): CallInput | null {
  const a = span.attributes;
  const versionId = str(a, VERSION_ID_ATTRIBUTE);
  if (!versionId) return null;
  const failed = span.statusCode === 2;
  return {
    versionId,
    callId: `otel:${span.traceId}:${span.spanId}`,
    requestId: str(a, REQUEST_ID_ATTRIBUTE),
    runId: str(a, RUN_ID_ATTRIBUTE),
    latencyMs: span.endNs >= span.startNs ? Number(span.endNs - span.startNs) / 1e6 : -1,
    inputTokens: num(a, 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'),
    outputTokens: num(a, 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'),
    success: !failed,
    errorCode: failed ? (str(a, 'error.type') ?? 'error') : null,
    model: str(a, 'gen_ai.response.model', 'gen_ai.request.model'),
    at: new Date(Number(span.startNs / 1_000_000n)),
  };
}
