export function resolveApiUrl(env: { API_URL?: string | undefined; API_PORT?: string | number | undefined }): string;
