// Password guessing: failed logins are counted per account (the e-mail given, whether or not it exists) and
// per client address, in the same store as the rate limits (memory, or Redis shared by every instance).
// After LOGIN_MAX_FAILURES failures within the window the account is blocked, whatever the password, for a
// duration that doubles with each block in a day; an address is refused after LOGIN_IP_MAX_FAILURES failures
// within the window. A successful login clears the account's count.
import { createHash } from "node:crypto";
import { HeaderMap } from "@apollo/server";
import { GraphQLError } from "graphql";
import { RateLimiterRes } from "rate-limiter-flexible";
import { ErrorCode } from "../errors/api-errors.js";
import type { LimiterStore, Warn } from "./rate-limit.js";

export interface LoginThrottleSettings {
  maxAccountFailures: number;
  maxIpFailures: number;
  windowSeconds: number;
  /** the first block of an account; each further block within a day doubles it, up to maxBlockSeconds */
  blockSeconds: number;
  maxBlockSeconds: number;
  keyPrefix: string;
}

export interface LoginAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
  /** the attempt could not be judged (the database failed): it counts for nothing */
  abandoned(): Promise<void>;
}

export interface LoginThrottle {
  /** Opens one attempt; throws RATE_LIMITED (with Retry-After) when the account or the address is blocked. */
  begin(email: string, clientIp: string): Promise<LoginAttempt>;
}

/** How long an account's past blocks count towards the next one's length. */
const BLOCK_MEMORY_SECONDS = 86_400;

/** The account key: the normalised e-mail, hashed so that the store holds no addresses. */
export const accountKey = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32);

export function createLoginThrottle(settings: LoginThrottleSettings, store: LimiterStore, warn: Warn): LoginThrottle {
  const accounts = store.limiter({ points: settings.maxAccountFailures, duration: settings.windowSeconds, keyPrefix: `${settings.keyPrefix}:login-account` });
  const blocks = store.limiter({ points: Number.MAX_SAFE_INTEGER, duration: BLOCK_MEMORY_SECONDS, keyPrefix: `${settings.keyPrefix}:login-blocks` });
  const addresses = store.limiter({ points: settings.maxIpFailures, duration: settings.windowSeconds, keyPrefix: `${settings.keyPrefix}:login-ip` });

  /** Store failures let the attempt through (as the rate limits do) rather than lock everyone out. */
  const safely = async <T>(what: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof RateLimiterRes) throw error;
      warn({ err: error instanceof Error ? error.message : String(error) }, `login throttle: ${what} failed`);
      return null;
    }
  };

  return {
    async begin(email, clientIp) {
      const account = accountKey(email);
      // Each attempt takes its point before the password is checked, so that parallel guesses cannot
      // overtake the count; a success gives its points back.
      try {
        await safely("address count", () => addresses.consume(clientIp));
      } catch (rejection) {
        throw tooManyFailures(rejection as RateLimiterRes, "from this address");
      }
      let counted: RateLimiterRes | null;
      try {
        counted = await safely("account count", () => accounts.consume(account));
      } catch (rejection) {
        // no password was checked: not a failure of this address
        await safely("address refund", () => addresses.reward(clientIp));
        throw tooManyFailures(rejection as RateLimiterRes, "for this account");
      }
      return {
        async succeeded() {
          await safely("reset", () => Promise.all([accounts.delete(account), blocks.delete(account), addresses.reward(clientIp)]));
        },
        async abandoned() {
          await safely("refund", () => Promise.all([accounts.reward(account), addresses.reward(clientIp)]));
        },
        async failed() {
          if (!counted || counted.consumedPoints < settings.maxAccountFailures) return;
          // the last allowed failure: block the account, longer each time within a day
          await safely("block", async () => {
            const previous = (await blocks.penalty(account)).consumedPoints;
            const seconds = Math.min(settings.blockSeconds * 2 ** (previous - 1), settings.maxBlockSeconds);
            await accounts.block(account, seconds);
          });
        },
      };
    },
  };
}

function tooManyFailures(result: RateLimiterRes, whose: string): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  return new GraphQLError(`Too many failed logins ${whose}; retry in ${retryAfterSeconds} s`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) },
    },
  });
}
