export declare const EMBEDDED_SHARED_BUFFERS: string;
export function embeddedStartParams(defaultStartParams: readonly string[]): string[];
