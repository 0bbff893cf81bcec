import type { IncomingMessage } from "node:http";

export type Trust = (address: string, hop: number) => boolean;
export function compileTrust(trustProxy: string | undefined | null): Trust;
export function clientAddress(request: IncomingMessage, trust: Trust): string | undefined;
export function setClientAddress(request: IncomingMessage, trust: Trust): string | undefined;
