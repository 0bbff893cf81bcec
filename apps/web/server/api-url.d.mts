import type { Agent as HttpAgent } from "node:http";
import type { Agent as HttpsAgent } from "node:https";

export function resolveApiUrl(env: { API_URL?: string | undefined; API_PORT?: string | number | undefined }): string;
export declare const API_TIMEOUT_MS: number;
export function createApiAgents(): { "http:": HttpAgent; "https:": HttpsAgent };
