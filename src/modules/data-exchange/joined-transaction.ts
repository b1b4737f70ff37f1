// A database handle whose `$transaction` joins a transaction already open instead of opening another: the
// row logic of imports and bulk upserts (and the services it reuses) opens transactions of its own, and a
// CSV import runs many such batches inside one outer transaction when it must write all or nothing (or
// nothing at all: a dry run rolls the outer transaction back). Every statement then runs on the one
// connection of the outer transaction — which also keeps the single-connection embedded database working.
import type { Db } from "../../db/client.js";
import type { Prisma } from "../../db/generated/client.js";

type Tx = Prisma.TransactionClient;

export function joinTransaction(tx: Tx): Db {
  const join = (work: unknown) => (typeof work === "function" ? (work as (tx: Tx) => unknown)(tx) : Promise.all(work as Promise<unknown>[]));
  return new Proxy(tx, { get: (target, key, receiver) => (key === "$transaction" ? join : Reflect.get(target, key, receiver)) }) as unknown as Db;
}

/** Thrown inside a transaction to roll it back on purpose (a dry run, an all-or-none batch with a bad row). */
export class RollBack<T> extends Error {
  constructor(readonly outcome: T) {
    super("rolled back on purpose");
  }
}

/** A long batch (bulk upserts look each row's duplicates up) needs more than Prisma's 5 s default. */
export const LONG_TRANSACTION = { maxWait: 60_000, timeout: 3_600_000 } as const;
