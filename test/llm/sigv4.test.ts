import { describe, expect, it } from 'vitest';
import { signV4 } from '../../src/llm/sigv4.ts';

// The example credentials and requests of AWS's Signature Version 4 test suite.
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const now = new Date('2015-08-30T12:36:00Z');
const sign = (url: string) =>
  signV4({
    method: 'GET',
    url: new URL(url),
    headers: {},
    body: '',
    region: 'us-east-1',
    service: 'service',
    credentials,
    now,
  });

describe('signV4', () => {
  it('matches the published signature of "get-vanilla"', () => {
    const headers = sign('https://example.amazonaws.com/');
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('matches "get-vanilla-query-order-key-case": query parameters sorted before signing', () => {
    expect(sign('https://example.amazonaws.com/?Param2=value2&Param1=value1').authorization).toMatch(
      /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/,
    );
  });

  it('signs the session token of temporary credentials', () => {
    const headers = signV4({
      method: 'POST',
      url: new URL('https://bedrock-runtime.us-east-1.amazonaws.com/model/a%3A0/converse'),
      headers: { 'content-type': 'application/json' },
      body: '{}',
      region: 'us-east-1',
      service: 'bedrock',
      credentials: { ...credentials, sessionToken: 'token' },
      now,
    });
    expect(headers['x-amz-security-token']).toBe('token');
    expect(headers.authorization).toMatch(/SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,/);
  });
});
