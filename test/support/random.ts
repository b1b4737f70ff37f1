// Seeded randomness for generated tests: a failure replays identically from its seed.

/** mulberry32: a small, fast generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A random filter tree of depth ≤ 4: conditions under AND (two), OR (one to three) and NOT (alone or beside a condition). */
export function randomFilterTree<F extends { AND?: F[]; OR?: F[]; NOT?: F }>(random: () => number, condition: () => F): F {
  const tree = (depth: number): F => {
    const kind = depth >= 4 ? 0 : Math.floor(random() * 4);
    if (kind === 1) return { AND: [tree(depth + 1), tree(depth + 1)] } as F;
    if (kind === 2) return { OR: Array.from({ length: 1 + Math.floor(random() * 3) }, () => tree(depth + 1)) } as F;
    if (kind === 3) return (random() < 0.5 ? { NOT: tree(depth + 1) } : { ...condition(), NOT: tree(depth + 1) }) as F;
    return condition();
  };
  return tree(0);
}
