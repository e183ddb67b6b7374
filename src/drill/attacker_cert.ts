import { sign, type KeyObject } from 'node:crypto';

/*
 * A self-signed X.509 certificate (RFC 5280 section 4.1) for the drill's
 * attacker key, so the `x5u` attack serves what a verifier that follows
 * x5u expects to find there. node:crypto parses certificates but cannot
 * make one: the few DER structures needed are written here (X.690).
 */

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
// sha256WithRSAEncryption (RFC 4055 section 5), with its NULL parameters.
const SHA256_RSA = seq(Buffer.from('06092a864886f70d01010b', 'hex'), Buffer.from('0500', 'hex'));

function name(commonName: string): Buffer {
  // id-at-commonName 2.5.4.3 as a UTF8String.
  const atv = seq(Buffer.from('0603550403', 'hex'), der(0x0c, Buffer.from(commonName, 'utf8')));
  return seq(der(0x31, atv));
}

function utcTime(seconds: number): Buffer {
  const iso = new Date(seconds * 1000).toISOString(); // 2026-12-01T00:00:00.000Z
  const text = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  return der(0x17, Buffer.from(text, 'latin1'));
}

/**
 * PEM of a self-signed RSA certificate valid one day either side of `now`
 * (seconds), subject and issuer `commonName`.
 *
 * @example new X509Certificate(selfSignedCertificate(pair.privateKey, pair.publicKey, 'attacker', now)).subject // 'CN=attacker'
 */
export function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, commonName: string, now: number): string {
  const subject = name(commonName);
  const version = der(0xa0, der(0x02, Buffer.from([2])));
  const serial = der(0x02, Buffer.from([1]));
  const validity = seq(utcTime(now - 86_400), utcTime(now + 86_400));
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const tbs = seq(version, serial, SHA256_RSA, subject, validity, subject, spki);
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, SHA256_RSA, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = cert
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
