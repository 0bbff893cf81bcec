export type HeaderRule = { key: string; value: string };
export declare const FORWARDED_REQUEST_HEADERS: readonly string[];
export declare const RELAYED_RESPONSE_HEADERS: readonly string[];
export function bffLocation(apiLocation: string): string;
export declare const SECURITY_HEADERS: HeaderRule[];
export declare const BFF_HEADERS: HeaderRule[];
