/**
 * The resolver map must be complete: every field of every object type needs a resolver unless the
 * type's mapper (its parent row, codegen `mappers`) already has a property of that name. A schema
 * field added without one fails `npm run typecheck` (at `resolvers` in resolvers/index.ts).
 * Codegen's own resolver types keep fields optional; this narrows them from the generated types.
 */
import type { GraphQLScalarType } from 'graphql';
import type { Resolvers, ResolversParentTypes } from './generated/resolvers-types';

type Special = '__isTypeOf' | '__resolveType' | '__typename';
/** Codegen's `useIndexSignature` adds `Record<string, any>`: its named keys only. */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/** Object types (and root types): the keys of `Resolvers` that are not scalars. */
type ObjectTypeName = { [K in KnownKeys<Resolvers>]-?: NonNullable<Resolvers[K]> extends GraphQLScalarType ? never : K }[KnownKeys<Resolvers>];

/** The schema fields of type `K` that its parent value does not carry: these need a resolver. */
export type FieldsNeedingResolvers<K extends ObjectTypeName> = Exclude<
  KnownKeys<NonNullable<Resolvers[K]>>,
  Special | (K extends keyof ResolversParentTypes ? keyof ResolversParentTypes[K] : never)
>;

type Needed = { [K in ObjectTypeName as [FieldsNeedingResolvers<K>] extends [never] ? never : K]-?: { [F in FieldsNeedingResolvers<K>]-?: unknown } };

/** `Resolvers` with the resolvers each type needs made required. */
export type CompleteResolvers = Resolvers & Needed;
