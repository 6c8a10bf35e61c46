// Serves the Oscar loader stand-in over HTTPS on loopback, because the embed accepts only an https
// loader URL. The certificate is self-signed for 127.0.0.1 and made fresh with openssl for each run;
// browsers are told to accept it (ignoreHTTPSErrors / --ignore-certificate-errors).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { oscarLoaderStandInSource } from "./oscar-loader-stand-in";

export type LoaderServer = { loaderUrl: string; requests(): number; close(): Promise<void> };

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), "oscar-loader-tls-"));
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ], { stdio: "pipe" });
    return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
  } catch (error) {
    throw new Error(`openssl could not make a test certificate (apt-get install -y openssl): ${(error as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startLoaderServer(cost: { busyMs?: number; paddingBytes?: number } = {}): Promise<LoaderServer> {
  const source = oscarLoaderStandInSource(cost);
  let requests = 0;
  const server = createServer(selfSignedCertificate(), (request, response) => {
    if (!request.url?.startsWith("/loader.js")) {
      response.writeHead(404).end();
      return;
    }
    requests++;
    response.writeHead(200, { "Content-Type": "text/javascript", "Cache-Control": "public, max-age=300" });
    response.end(source);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    loaderUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}/loader.js`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
