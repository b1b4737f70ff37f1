// Holds the users table in a transaction of its own, so that the next authenticated request waits inside the
// server for as long as a test wants (timeouts, in-flight requests at shutdown).
import type { Db } from "../../src/db/client.js";

export async function holdUsersTable(db: Db): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`LOCK TABLE "User" IN ACCESS EXCLUSIVE MODE`);
      locked();
      await released;
    },
    { timeout: 20_000, maxWait: 5_000 },
  );
  await isLocked;
  return {
    async release() {
      release();
      await holder;
    },
  };
}
