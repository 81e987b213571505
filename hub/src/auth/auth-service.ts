import { randomBytes, randomUUID } from "node:crypto";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { ApiTokenRecord, Role } from "../store/hub-records.ts";
import type { HubStore } from "../store/hub-store.ts";
import { LoginRateLimiter, type LoginRateLimiterOptions } from "./login-rate-limiter.ts";
import { hashPassword, verifyPassword } from "./password-hash.ts";
import { hashSecretToken, newSecretToken } from "./secret-token.ts";

export const ADMIN_USERNAME = "admin";

/** Who a request acts as. */
export interface Principal {
  readonly username: string;
  readonly role: Role;
  readonly tokenId: string;
}

/** A token as handed out once (the store keeps only its hash). */
export interface IssuedToken {
  readonly id: string;
  readonly token: string;
  readonly name: string;
  readonly role: Role;
  readonly username: string;
  readonly expiresAt: string | null;
}

/** An API token as listed (never its secret or hash). */
export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly username: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

/** Options of `AuthService`. */
export interface AuthServiceOptions {
  readonly sessionTtlMs: number;
  /** Failed logins per username and client address before MTX_RATE_LIMITED. */
  readonly login?: LoginRateLimiterOptions;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
}

// Compared against when the user does not exist, so an unknown name costs as long as a wrong password.
const DUMMY_HASH = "scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** Users, login and API tokens of the hub REST API. */
export class AuthService {
  readonly #store: HubStore;
  readonly #sessionTtlMs: number;
  readonly #now: () => number;
  readonly #limiter: LoginRateLimiter;

  constructor(store: HubStore, options: AuthServiceOptions) {
    this.#store = store;
    this.#sessionTtlMs = options.sessionTtlMs;
    this.#now = options.now ?? Date.now;
    this.#limiter = new LoginRateLimiter(options.login);
  }

  /**
   * Makes sure the `admin` user exists. With `configuredPassword` its password is set to it;
   * without, a first start generates one and returns it (to be shown once); later starts keep it.
   */
  async ensureAdmin(configuredPassword: string | undefined): Promise<{ generatedPassword: string | null }> {
    let existing = await this.#store.getUser(ADMIN_USERNAME);
    if (existing === undefined) {
      const password = configuredPassword ?? randomBytes(18).toString("base64url");
      const created = await this.#store.createUser({
        username: ADMIN_USERNAME,
        role: "admin",
        passwordHash: await hashPassword(password),
        createdAt: this.#now(),
      });
      if (created) return { generatedPassword: configuredPassword === undefined ? password : null };
      // Another replica created the admin first: its password holds unless one is configured.
      existing = await this.#store.getUser(ADMIN_USERNAME);
      if (existing === undefined)
        throw new MtxError("MTX_INTERNAL", "the admin user vanished while it was created");
    }
    if (configuredPassword === undefined) return { generatedPassword: null };
    if (await verifyPassword(configuredPassword, existing.passwordHash)) return { generatedPassword: null };
    await this.#store.putUser({
      ...existing,
      role: "admin",
      passwordHash: await hashPassword(configuredPassword),
    });
    return { generatedPassword: null };
  }

  /**
   * Checks a username and password; returns a token valid for the session lifetime. Too many
   * failures for one username from one `clientAddress` answer MTX_RATE_LIMITED for a while.
   */
  async login(username: string, password: string, clientAddress = ""): Promise<IssuedToken> {
    const key = `${clientAddress}\n${username}`;
    this.#limiter.check(key, this.#now());
    const user = await this.#store.getUser(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (user === undefined || !ok) {
      this.#limiter.failed(key, this.#now());
      throw new MtxError("MTX_UNAUTHORIZED", "wrong username or password");
    }
    this.#limiter.succeeded(key);
    return this.createToken({ name: "login", role: user.role, username, ttlMs: this.#sessionTtlMs });
  }

  /** Every API token (logins included), oldest first, without secrets. */
  async listTokens(): Promise<readonly TokenView[]> {
    return (await this.#store.listApiTokens()).map(tokenView);
  }

  /** Revokes an API token at once; MTX_NOT_FOUND when there is none with this id. */
  async revokeToken(id: string): Promise<void> {
    if (!(await this.#store.deleteApiToken(id)))
      throw new MtxError("MTX_NOT_FOUND", `no API token with id ${id}`);
  }

  /** A new API token; `ttlMs` absent: it does not expire. */
  async createToken(input: {
    readonly name: string;
    readonly role: Role;
    readonly username: string;
    readonly ttlMs?: number;
  }): Promise<IssuedToken> {
    const now = this.#now();
    const token = newSecretToken("api");
    const record = {
      id: randomUUID(),
      hash: hashSecretToken(token),
      name: input.name,
      role: input.role,
      username: input.username,
      createdAt: now,
      expiresAt: input.ttlMs === undefined ? null : now + input.ttlMs,
    };
    await this.#store.putApiToken(record);
    const { hash: _hash, createdAt: _createdAt, ...shown } = record;
    return {
      ...shown,
      token,
      expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
    };
  }

  /** The principal of an `Authorization: Bearer <token>` header, or MTX_UNAUTHORIZED. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const presented = /^Bearer (\S+)$/i.exec(authorization ?? "")?.[1];
    if (presented === undefined) {
      throw new MtxError(
        "MTX_UNAUTHORIZED",
        "this request needs 'Authorization: Bearer <token>' (POST /api/v1/auth/login gives one)",
      );
    }
    const record = await this.#store.findApiToken(hashSecretToken(presented));
    if (record === undefined) throw new MtxError("MTX_UNAUTHORIZED", "unknown API token");
    if (record.expiresAt !== null && record.expiresAt <= this.#now()) {
      throw new MtxError("MTX_UNAUTHORIZED", "API token expired: log in again");
    }
    return { username: record.username, role: record.role, tokenId: record.id };
  }
}

function tokenView(record: ApiTokenRecord): TokenView {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    username: record.username,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
  };
}
