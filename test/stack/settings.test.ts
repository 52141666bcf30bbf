import { describe, expect, it } from 'vitest';
import { OssError } from '../../src/errors';
import { defaultSettings, parseSettings, resourcesFor } from '../../src/stack/settings';

function errorOf(raw: unknown): OssError {
  try {
    parseSettings(raw, 'oss.yaml');
  } catch (err) {
    if (err instanceof OssError) return err;
    throw err;
  }
  throw new Error('expected a settings error');
}

describe('settings schema (oss.yaml)', () => {
  it('fills every default', () => {
    const s = defaultSettings();
    expect(s.gateway.port).toBe(8080);
    expect(s.workspace).toBe('default');
    expect(s.telegram.operatorIds).toEqual([]);
    expect(s.images.node).toBe('node:24-bookworm-slim');
    expect(s.database.dsnSecret).toBe('db_dsn');
    expect(s.bridge.concurrency).toBe(4);
  });

  it('names the key, the bad value and what is allowed', () => {
    const e = errorOf({ telegram: { operatorIds: ['12ab'] } });
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('telegram.operatorIds.0');
    expect(e.message).toContain('"12ab"');
    expect(e.message).toMatch(/numeric Telegram user id/);
  });

  it('refuses unknown keys and lists the allowed ones', () => {
    const e = errorOf({ gateway: { port: 8080, bind: '0.0.0.0' } });
    expect(e.message).toContain('gateway.bind: unknown key');
    expect(e.message).toContain('allowed: port');
    const top = errorOf({ colour: 'blue' });
    expect(top.message).toContain('colour: unknown key');
  });

  it('refuses ports out of range and non-numbers', () => {
    expect(errorOf({ gateway: { port: 70000 } }).message).toContain('gateway.port: 70000');
    expect(errorOf({ gateway: { port: '8080' } }).message).toContain('gateway.port: "8080"');
  });

  it('refuses unpinned images', () => {
    expect(errorOf({ images: { node: 'node:latest' } }).message).toContain('images.node');
    expect(errorOf({ images: { node: 'node' } }).message).toContain('images.node');
    expect(parseSettings({ images: { node: 'local/node:24', pullPolicy: 'never' } }).images.node).toBe('local/node:24');
  });

  it('validates resource overrides and merges them over the model', () => {
    expect(errorOf({ resources: { gateway: { memory: 'lots' } } }).message).toContain('resources.gateway.memory');
    expect(errorOf({ resources: { nosuch: {} } }).message).toContain('resources.nosuch: unknown key');
    const s = parseSettings({ resources: { gateway: { memory: '3g' } } });
    expect(resourcesFor(s, 'gateway')).toEqual({ memory: '3g', cpus: 1.5, pids: 256 });
  });

  it('validates the workspace name and DSN secret name', () => {
    expect(errorOf({ workspace: '../etc' }).message).toContain('workspace');
    expect(errorOf({ database: { dsnSecret: 'A B' } }).message).toContain('database.dsnSecret');
  });
});
