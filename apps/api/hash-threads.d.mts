export declare const HASH_THREAD_IDLE_MS: number;
