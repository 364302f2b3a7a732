// A software authenticator for the API tests in Node: a real P-256 key made
// with node:crypto, real authenticatorData, attestation "none", ES256
// signatures. It answers the service's options the way a browser's
// credential.toJSON() would, so the package's API calls run against the real
// daemon without a browser.

import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  CreationOptionsJSON,
  RegistrationResponseJSON,
  RequestOptionsJSON,
} from "../../src/api/types.js";
import { CborMap, encodeCbor } from "./cbor.js";

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array): Uint8Array => createHash("sha256").update(data).digest();

export interface SoftCredential {
  id: Uint8Array;
  privateKey: KeyObject;
  userHandle: string;
  rpId: string;
  signCount: number;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(readonly origin = "http://localhost:3000") {}

  register(options: CreationOptionsJSON): RegistrationResponseJSON {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const cose = encodeCbor(new CborMap([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]));
    const id = randomBytes(32);
    const authData = Buffer.concat([
      sha256(Buffer.from(rpId)),
      Buffer.from([UP | UV | AT]),
      Buffer.from([0, 0, 0, 0]),
      Buffer.alloc(16), // AAGUID: none
      Buffer.from([0, id.length]),
      id,
      cose,
    ]);
    const attestationObject = encodeCbor(new CborMap([["fmt", "none"], ["attStmt", new CborMap([])], ["authData", authData]]));
    const clientDataJSON = this.clientData("webauthn.create", options.challenge);
    this.credentials.push({ id, privateKey, userHandle: options.user.id, rpId, signCount: 0 });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key",
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ["internal"] },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  /** Answers with the first credential the options allow (or any, for discoverable requests). */
  authenticate(options: RequestOptionsJSON, pick?: SoftCredential): AuthenticationResponseJSON {
    const allowed = (options.allowCredentials ?? []).map((c) => c.id);
    const credential = pick ?? this.credentials.find((c) => allowed.length === 0 || allowed.includes(b64url(c.id)));
    if (!credential) throw new Error("no credential for these options");
    credential.signCount++;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.signCount);
    const authData = Buffer.concat([sha256(Buffer.from(options.rpId ?? credential.rpId)), Buffer.from([UP | UV]), counter]);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge);
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  private clientData(type: string, challenge: string): Uint8Array {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }
}
