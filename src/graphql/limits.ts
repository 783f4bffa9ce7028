/**
 * Parse, validation and cost limits shared by the HTTP and WebSocket paths, so neither is a way
 * around the other: tokens at parse time, then depth, aliases and directives as a validation rule,
 * then a cost check that knows the variables (page sizes often come from them).
 */
import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  isInterfaceType,
  specifiedRules,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../shared/pagination';

/**
 * Depth: the deepest operation our clients, docs and tests send is 6 levels
 * (`prompts { edges { node { labels { version { number } } } } } }`), + 2 = 8, which still fits a
 * dashboard's `prompts → edges → node → activeABTest → results → variants → metrics → totalCalls`.
 */
export const LIMITS = {
  /** Tokens per document: oversized documents are rejected before validation runs. */
  maxTokens: 3000,
  maxDepth: 8,
  /**
   * Depth of an introspection-only operation (its root fields all `__schema`, `__type` or `__typename`): the
   * standard query of `getIntrospectionQuery()` (GraphiQL, Apollo Sandbox, Postman, codegen's URL loader) is 15
   * deep, its `TypeRef` fragment unwrapping 7 levels of list/non-null. Still bounded: the cost limit applies as to
   * any operation, and it refuses nesting lists deeper than that query does (types → fields → type → fields …).
   */
  maxIntrospectionDepth: 16,
  maxAliases: 15,
  maxDirectives: 10,
  /**
   * Budget of `operationCost`. The README's listing (50 prompts with their labels and 50 versions each, default
   * page sizes) costs about 6,400; 500 prompts × 500 versions, 250,000.
   */
  maxCost: 10_000,
  /**
   * Budget of an introspection-only operation: the standard query with every option costs about 16,600 here
   * (each list counted as 10 items, as everywhere); it is answered from memory, never the database. Lists nested
   * deeper than that query nests them cost ten times more per level and are refused.
   */
  maxIntrospectionCost: 20_000,
} as const;

/** Kept for callers of the first version of this module. */
export const MAX_TOKENS = LIMITS.maxTokens;

export const parseOptions = { maxTokens: LIMITS.maxTokens };

const limitError = (message: string, node?: OperationDefinitionNode) =>
  new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

type Shape = { depth: number; aliases: number; directives: number };

/**
 * Measures each operation with its fragments expanded. Fragments are measured once (memoized), so a
 * diamond of fragments is linear to walk, and a cycle (reported by NoFragmentCyclesRule) stops the
 * walk instead of looping. Nothing is skipped by name: a field or fragment called `__schema` counts.
 */
export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): Shape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, Shape>();
  const visiting = new Set<string>();

  const measureSet = (set: SelectionSetNode | undefined): Shape => {
    const out: Shape = { depth: 0, aliases: 0, directives: 0 };
    if (!set) return out;
    for (const s of set.selections) {
      out.directives += s.directives?.length ?? 0;
      let inner: Shape;
      if (s.kind === Kind.FIELD) {
        const child = measureSet(s.selectionSet);
        inner = { depth: child.depth + 1, aliases: child.aliases + (s.alias ? 1 : 0), directives: child.directives };
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        inner = measureSet(s.selectionSet);
      } else {
        inner = measureFragment(s.name.value);
      }
      out.depth = Math.max(out.depth, inner.depth);
      out.aliases += inner.aliases;
      out.directives += inner.directives;
    }
    return out;
  };

  const measureFragment = (name: string): Shape => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return { depth: 0, aliases: 0, directives: 0 };
    visiting.add(name);
    const own = measureSet(fragment.selectionSet);
    visiting.delete(name);
    const shape = { ...own, directives: own.directives + (fragment.directives?.length ?? 0) };
    memo.set(name, shape);
    return shape;
  };

  const body = measureSet(operation.selectionSet);
  return { ...body, directives: body.directives + (operation.directives?.length ?? 0) };
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type', '__typename']);

/** True when every root field of the operation (fragments at the root expanded) is an introspection field. */
export function isIntrospectionOperation(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const only = (set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return INTROSPECTION_ROOTS.has(s.name.value);
      if (s.kind === Kind.INLINE_FRAGMENT) return only(s.selectionSet);
      const f = fragments.get(s.name.value);
      if (!f || seen.has(s.name.value)) return true; // unknown or cyclic: validation reports it
      seen.add(s.name.value);
      return only(f.selectionSet);
    });
  return operation.operation === 'query' && only(operation.selectionSet);
}

/** Depth, alias and directive limits as one validation rule (runs once per document). */
export const shapeLimitsRule: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  Document(document) {
    for (const d of document.definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION) continue;
      const shape = measureOperation(document, d);
      const maxDepth = isIntrospectionOperation(document, d) ? LIMITS.maxIntrospectionDepth : LIMITS.maxDepth;
      if (shape.depth > maxDepth) context.reportError(limitError(`The operation is nested ${shape.depth} levels deep; the limit is ${maxDepth}.`, d));
      if (shape.aliases > LIMITS.maxAliases)
        context.reportError(limitError(`The operation uses ${shape.aliases} aliases; the limit is ${LIMITS.maxAliases}.`, d));
      if (shape.directives > LIMITS.maxDirectives)
        context.reportError(limitError(`The operation uses ${shape.directives} directives; the limit is ${LIMITS.maxDirectives}.`, d));
    }
    return false; // measured from the whole document: no need to visit the nodes one by one
  },
});

export const validationRules: ValidationRule[] = [shapeLimitsRule];

export const allValidationRules: readonly ValidationRule[] = [...specifiedRules, ...validationRules];

/** graphql-js suggests field names in validation errors; that reveals the schema (off like on HTTP). */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/** Validation for the paths that do not go through Apollo (graphql-ws): the same rules, no suggestions. */
export function validateDocument(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
  return validate(schema, document, allValidationRules).map(
    (e) =>
      new GraphQLError(e.message.replace(SUGGESTION, ''), {
        nodes: e.nodes,
        extensions: { code: (e.extensions?.code as string | undefined) ?? 'GRAPHQL_VALIDATION_FAILED' },
      }),
  );
}

// ---------------------------------------------------------------- cost

/** Fields that cost more than a row read: aggregates over calls, renders and diffs. */
const FIELD_COST: Record<string, number> = {
  'Query.metrics': 1000,
  'Prompt.metrics': 100,
  'PromptVersion.metrics': 100,
  'ABTest.results': 100,
  'ABVariantResult.metrics': 50,
  'Query.versionDiff': 20,
  'Query.resolvePrompt': 2,
  'Query.renderVersion': 5,
  'Query.auditLog': 5,
};
/** A list without a `first` argument is assumed to hold this many items. */
const DEFAULT_LIST_SIZE = 10;
const DEFAULT_FIRST = 50;

function firstArgument(node: FieldNode, variables: Record<string, unknown>, usage: { readsVariables: boolean }): number | null {
  const arg = node.arguments?.find((a) => a.name.value === 'first');
  if (!arg) return null;
  const value: ValueNode = arg.value;
  let n: unknown = DEFAULT_FIRST;
  if (value.kind === Kind.INT) n = Number(value.value);
  else if (value.kind === Kind.VARIABLE) {
    usage.readsVariables = true;
    n = variables[value.name.value] ?? DEFAULT_FIRST;
  }
  // Out-of-range values are rejected by the resolvers; here they only must not make the cost small.
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(Math.max(n, 1), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
}

function defaultFirst(field: GraphQLField<unknown, unknown> | undefined): number | null {
  const value = field?.args.find((a) => a.name === 'first')?.defaultValue;
  return typeof value === 'number' ? Math.min(Math.max(value, 1), MAX_PAGE_SIZE) : null;
}

/**
 * The cost of running an operation (after Shopify's calculated query cost): a scalar or enum field is free, an
 * object field costs 1 (more for the fields in FIELD_COST), and a list's subtree, plus 1 per object item, is
 * multiplied by its page size (`first`, else its default) or, for a plain list, by DEFAULT_LIST_SIZE. Memoized
 * per fragment and type; cycles cost nothing (validation rejects them).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  usage: { readsVariables: boolean } = { readsVariables: false },
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();

  const costOfSet = (type: GraphQLNamedType | undefined, set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) total += costOfField(type, s);
      else if (s.kind === Kind.INLINE_FRAGMENT)
        total += costOfSet(s.typeCondition ? (schema.getType(s.typeCondition.name.value) ?? undefined) : type, s.selectionSet);
      else {
        const key = s.name.value;
        const fragment = fragments.get(key);
        if (!fragment || visiting.has(key)) continue;
        let c = memo.get(key);
        if (c === undefined) {
          visiting.add(key);
          c = costOfSet(schema.getType(fragment.typeCondition.name.value) ?? undefined, fragment.selectionSet);
          visiting.delete(key);
          memo.set(key, c);
        }
        total += c;
      }
    }
    return total;
  };

  const costOfField = (parent: GraphQLNamedType | undefined, node: FieldNode): number => {
    const name = node.name.value;
    // Introspection's meta fields are not in getFields(); without them its lists would go unweighted.
    const meta = name === '__schema' ? SchemaMetaFieldDef : name === '__type' ? TypeMetaFieldDef : name === '__typename' ? TypeNameMetaFieldDef : undefined;
    const field: GraphQLField<unknown, unknown> | undefined =
      meta ?? (parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined);
    const named = field ? getNamedType(field.type) : undefined;
    // Shopify's model: a scalar or enum is free (it comes with its object), an object costs 1, a list of objects
    // costs 1 per item; fields that aggregate or render cost more (FIELD_COST).
    const leaf = named ? isLeafType(named) : !node.selectionSet;
    const own = parent ? (FIELD_COST[`${parent.name}.${name}`] ?? (leaf ? 0 : 1)) : leaf ? 0 : 1;
    const children = costOfSet(named, node.selectionSet);
    // An omitted `first` means its schema default (a connection without `first` still returns a page).
    const first = firstArgument(node, variables, usage) ?? defaultFirst(field);
    const isList = field ? isListType(getNullableType(field.type)) : false;
    // A connection's `edges` is the page its parent's `first` already counted.
    const multiplier = first ?? (isList && name !== 'edges' ? DEFAULT_LIST_SIZE : 1);
    const perItem = isList && !leaf ? 1 : 0;
    return own + multiplier * (children + perItem);
  };

  const root =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return costOfSet(root ?? undefined, operation.selectionSet);
}

/** Throws a 400-class error when the operation costs more than the budget. */
// Apollo keeps parsed documents, so an operation node recurs for every request with the same query: its cost is
// computed once unless a page size comes from a variable (then it depends on each request's variables).
const fixedCosts = new WeakMap<OperationDefinitionNode, number>();

export function assertCostWithinBudget(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): void {
  let cost = fixedCosts.get(operation);
  if (cost === undefined) {
    const usage = { readsVariables: false };
    cost = operationCost(schema, document, operation, variables ?? {}, usage);
    if (!usage.readsVariables) fixedCosts.set(operation, cost);
  }
  const maxCost = isIntrospectionOperation(document, operation) ? LIMITS.maxIntrospectionCost : LIMITS.maxCost;
  if (cost > maxCost) {
    throw new GraphQLError(`The operation is too expensive (cost ${cost}; the limit is ${maxCost}): ask for fewer items per page or fewer nested lists.`, {
      extensions: { code: 'COST_LIMIT_EXCEEDED', cost, limit: maxCost, http: { status: 400 } },
    });
  }
}
