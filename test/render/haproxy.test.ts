// The generated proxy config, read as data: one pinned rule per route, and the exec-start
// pattern matches exactly the bytes Node's http client sends with the model's headers.
import { createServer, type AddressInfo } from 'node:net';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { execStartPattern, renderHaproxyConfig } from '../../src/render/haproxy';
import { EXEC_START_BODY, EXEC_START_HEADERS, execCreateBody, routes, services, socketProxy } from '../../src/stack/model';

/** PCRE's \z (absolute end) is $ in a JS regex without the m flag */
const jsPattern = () => new RegExp(execStartPattern().replace(/\\z$/, '$'));

function bytesNodeSends(path: string): Promise<string> {
  return new Promise((resolve) => {
    const srv = createServer((s) => s.on('data', (d) => { resolve(d.toString('latin1')); s.destroy(); srv.close(); }));
    srv.listen(0, '127.0.0.1', () => {
      const r = request({ host: '127.0.0.1', port: (srv.address() as AddressInfo).port, method: 'POST', path, agent: false, headers: { ...EXEC_START_HEADERS } });
      r.on('error', () => {});
      r.end(EXEC_START_BODY);
    });
  });
}

describe('renderHaproxyConfig', () => {
  const cfg = renderHaproxyConfig();

  it('pins each worker to its own route body, and nothing else may create an exec', () => {
    for (const r of routes) {
      expect(cfg).toContain(`url -m str /v1.41/containers/${services[r.worker].containerName}/exec`);
      expect(cfg).toContain(`'${execCreateBody(r)}'`);
    }
    expect(cfg.match(/http-request allow if is_post/g)).toHaveLength(routes.length);
    expect(cfg).not.toContain(services.gateway.containerName);
    expect(cfg).not.toContain(services.bridge.containerName);
    expect(cfg).toMatch(/http-request deny deny_status 403\n/);
    expect(cfg).toContain(`server engine ${socketProxy.dockerSocket}`);
  });

  it('the exec-start pattern accepts the bytes the bridge sends, and only those', async () => {
    const id = 'a'.repeat(64);
    const sent = await bytesNodeSends(`/v1.41/exec/${id}/start`);
    expect(sent).toMatch(jsPattern());
    expect(`${sent}GET /v1.41/containers/json HTTP/1.1\r\n\r\n`).not.toMatch(jsPattern());
    expect(sent.replace('Upgrade, close', 'Upgrade')).not.toMatch(jsPattern());
    expect(sent.replace('"Detach":false', '"Detach":true')).not.toMatch(jsPattern());
    expect(sent.replace(`/exec/${id}/`, `/exec/${id}/../`)).not.toMatch(jsPattern());
  });

  it('renders throwaway worker names for tests', () => {
    expect(renderHaproxyConfig({ workerName: (r) => `t-${r.name}` })).toContain('/v1.41/containers/t-run-codex/exec');
  });
});
