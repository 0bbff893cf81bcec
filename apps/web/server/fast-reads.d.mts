import type { IncomingMessage, ServerResponse } from "node:http";

export type ServeFastRead = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
export function createFastReads(apiUrl: string): ServeFastRead;
export function acceptsGzip(header: string | undefined): boolean;
export function parseCookies(header: string | undefined): Map<string, string>;
