/** The OTLP decoders and the span → call mapping, pure: protobuf wire reading (unknown fields skipped, truncation refused), JSON, partialSuccess encoding. */
import { BadInputError } from '../../src/errors';
import { callOfSpan, decodeJsonSpans, decodeProtobufSpans, encodeProtobufResponse, VERSION_ID_ATTRIBUTE } from '../../src/metrics/otlp-spans';

// A tiny protobuf writer for the test's own messages.
const varint = (n: number | bigint): number[] => {
  let v = BigInt(n);
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  return [...out, Number(v)];
};
const field = (no: number, wire: number, payload: number[]) => [...varint((no << 3) | wire), ...payload];
const len = (no: number, bytes: number[]) => field(no, 2, [...varint(bytes.length), ...bytes]);
const str = (no: number, s: string) => len(no, [...Buffer.from(s, 'utf8')]);
const fixed64 = (no: number, v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return field(no, 1, [...b]);
};
const kv = (key: string, value: number[]) => len(9, [...str(1, key), ...len(2, value)]);

const VERSION = '0b4f6a8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const start = BigInt(Date.now() - 500) * 1_000_000n;

function protoRequest(extraSpanFields: number[] = []): Uint8Array {
  const span = [
    ...len(
      1,
      Array.from({ length: 16 }, (_, i) => i + 1),
    ),
    ...len(
      2,
      Array.from({ length: 8 }, (_, i) => 0xa0 + i),
    ),
    ...str(5, 'chat'),
    ...fixed64(7, start),
    ...fixed64(8, start + 120_500_000n),
    ...kv(VERSION_ID_ATTRIBUTE, str(1, VERSION)),
    ...kv('gen_ai.usage.input_tokens', field(3, 0, varint(42))),
    ...kv('gen_ai.request.model', str(1, 'm1')),
    ...kv('some.double', field(4, 1, [...Buffer.from(new Float64Array([1.5]).buffer)])),
    ...field(16, 5, [1, 0, 0, 0]), // flags (fixed32): skipped
    ...len(15, [...str(2, 'boom'), ...field(3, 0, [2])]), // status ERROR
    ...extraSpanFields,
  ];
  const scope = [...len(1, str(1, 'scope')), ...len(2, span)];
  const resource = [...len(1, kv('service.name', str(1, 'svc'))), ...len(2, scope)];
  return Uint8Array.from(len(1, resource));
}

test('protobuf: the fields used are read, unknown ones skipped, and the span maps to a failed call', () => {
  const [span] = decodeProtobufSpans(protoRequest(field(99, 0, varint(7))), 10);
  expect(span).toMatchObject({ traceId: '0102030405060708090a0b0c0d0e0f10', spanId: 'a0a1a2a3a4a5a6a7', name: 'chat', statusCode: 2 });
  expect(span!.attributes.get('some.double')).toBe(1.5);
  const call = callOfSpan(span!)!;
  expect(call).toMatchObject({
    versionId: VERSION,
    inputTokens: 42,
    model: 'm1',
    success: false,
    errorCode: 'error',
    callId: `otel:${span!.traceId}:${span!.spanId}`,
  });
  expect(call.latencyMs).toBeCloseTo(120.5, 6);
});

test('protobuf: truncated or malformed input is a BadInputError, never a crash', () => {
  const whole = protoRequest();
  for (const cut of [1, 5, 17, whole.length - 3]) expect(() => decodeProtobufSpans(whole.subarray(0, cut), 10)).toThrow(BadInputError);
  expect(() => decodeProtobufSpans(Uint8Array.from([0x0b]), 10)).toThrow(/wire type 3/); // a group
  expect(() => decodeProtobufSpans(Uint8Array.from(Array(12).fill(0xff)), 10)).toThrow(BadInputError);
  expect(() => decodeProtobufSpans(Uint8Array.from([...protoRequest(), ...protoRequest()]), 1)).toThrow(/At most 1 spans/);
});

test('JSON: int64 as strings or numbers, hex ids lowercased; spans without the version attribute are not calls', () => {
  const spans = decodeJsonSpans(
    {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'AB'.repeat(16),
                  spanId: 'CD'.repeat(8),
                  startTimeUnixNano: String(start),
                  endTimeUnixNano: Number(start / 1000n) * 1000 + 2_000_000,
                  attributes: [
                    { key: VERSION_ID_ATTRIBUTE, value: { stringValue: VERSION } },
                    { key: 'gen_ai.usage.completion_tokens', value: { intValue: '9' } },
                    { key: 'gen_ai.response.model', value: { stringValue: 'm2' } },
                  ],
                  status: { code: 1 },
                },
                { traceId: 'x', spanId: 'y', attributes: [] },
              ],
            },
          ],
        },
      ],
    },
    10,
  );
  expect(spans).toHaveLength(2);
  expect(callOfSpan(spans[0]!)).toMatchObject({
    callId: `otel:${'ab'.repeat(16)}:${'cd'.repeat(8)}`,
    outputTokens: 9,
    model: 'm2',
    success: true,
    errorCode: null,
  });
  expect(callOfSpan(spans[1]!)).toBeNull();
  expect(() => decodeJsonSpans([], 10)).toThrow(BadInputError);
});

test('partialSuccess: empty on full success, else rejected_spans and error_message', () => {
  expect(encodeProtobufResponse(0, '')).toEqual(new Uint8Array(0));
  expect([...encodeProtobufResponse(300, 'no')]).toEqual([0x0a, 7, 0x08, 0xac, 0x02, 0x12, 2, 0x6e, 0x6f]);
});
