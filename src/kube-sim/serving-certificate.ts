/**
 * The TLS identity of an HTTPS kube-sim, made at start-up like a kind or minikube cluster's: a throw-away CA
 * and a serving certificate it signs for 127.0.0.1 and localhost. Clients trust the CA through the kubeconfig's
 * `certificate-authority-data` (no `insecure-skip-tls-verify`), as they would a real cluster's. The private keys
 * live only in memory. Generated with the `selfsigned` package (X.509 over Node's WebCrypto), loaded only when
 * a TLS server starts.
 */

export interface ServingCertificate {
  /** The CA certificate (PEM): what the kubeconfig's `certificate-authority-data` holds. */
  caPem: string;
  /** The server's certificate (PEM), issued by the CA. */
  certPem: string;
  /** The server's private key (PKCS #8 PEM). */
  keyPem: string;
}

export interface ServingCertificateOptions {
  /** Validity starts an hour before this (clock skew) and lasts `validDays`. */
  now: Date;
  /** Default 30. */
  validDays?: number;
  /** DNS names in the certificate (default `localhost`). */
  dnsNames?: readonly string[];
  /** IP addresses in the certificate (default `127.0.0.1`). */
  ipAddresses?: readonly string[];
}

const DAY_MS = 86_400_000;

export async function generateServingCertificate(
  options: ServingCertificateOptions,
): Promise<ServingCertificate> {
  const { generate } = await import('selfsigned');
  const notBeforeDate = new Date(options.now.getTime() - 3_600_000);
  const notAfterDate = new Date(options.now.getTime() + (options.validDays ?? 30) * DAY_MS);
  const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const;
  const ca = await generate([{ name: 'commonName', value: 'kube-sim-ca' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...(options.dnsNames ?? ['localhost']).map((value) => ({ type: 2 as const, value })),
          ...(options.ipAddresses ?? ['127.0.0.1']).map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { caPem: ca.cert, certPem: server.cert, keyPem: server.private };
}
