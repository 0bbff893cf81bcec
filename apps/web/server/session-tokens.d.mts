export declare const ACCESS_COOKIE: "tv_at";
export declare const REFRESH_COOKIE: "tv_rt";
export type SessionCookieBase = typeof ACCESS_COOKIE | typeof REFRESH_COOKIE;
export function cookieName(base: SessionCookieBase, secure: boolean): string;
export function isHttps(forwardedProto: string | string[] | null | undefined, connectionIsHttps: boolean): boolean;
export type TokenTimes = { issuedAt: number; expiresAt: number };
export function readTokenTimes(token: string): TokenTimes | null;
export function shouldRefresh(accessToken: string | null | undefined, nowSeconds?: number): boolean;
