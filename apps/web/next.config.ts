import type { NextConfig } from "next";
import { BFF_HEADERS, SECURITY_HEADERS } from "./server/bff-headers.mjs";

const nextConfig: NextConfig = {
  // The contract package ships TypeScript source; Next compiles it like app code.
  transpilePackages: ["@taskvault/contract"],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: "/api/:path*", headers: BFF_HEADERS },
    ];
  },
};

export default nextConfig;
