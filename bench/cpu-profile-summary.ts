// Summarizes a V8 `.cpuprofile` (written by `node --cpu-prof`) as markdown: where the
// busy time went, by self time and by inclusive time per function, and by area
// (this project's files, Node internals, packages, GC, native/program time).
//
//   node bench/cpu-profile-summary.ts FILE.cpuprofile [--top 25]

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  self: ProfileRow[];
  inclusive: ProfileRow[];
  areas: ProfileRow[];
}

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const IDLE = '(idle)';

function frameName(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  return `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function shortUrl(url: string): string {
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (file.startsWith(ROOT)) {
    const rel = path.relative(ROOT, file);
    const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
    return pkg ? `${pkg[1]}/${path.basename(rel)}` : rel;
  }
  return file;
}

function areaOf(frame: CallFrame): string {
  if (!frame.url) {
    if (frame.functionName.startsWith('(')) return frame.functionName;
    return '(native: V8 builtins, syscalls)';
  }
  if (frame.url.startsWith('node:')) return 'node internals';
  const short = shortUrl(frame.url);
  if (short.includes('/') && !short.startsWith('/')) {
    if (frame.url.includes('/node_modules/')) return `package ${short.split('/').slice(0, -1).join('/')}`;
    return short.split('/').slice(0, 2).join('/');
  }
  return 'other';
}

function rows(totals: Map<string, number>, busyMs: number, top: number): ProfileRow[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms, percent: busyMs > 0 ? (ms / busyMs) * 100 : 0 }));
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) byId.set(node.id, node);
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let busyUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] as number);
    // A sample's duration is the gap to the next one (V8 records deltas before each sample).
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (node === undefined || node.callFrame.functionName === IDLE) continue;
    busyUs += us;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + us / 1000);
    const area = areaOf(node.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + us / 1000);
    const onStack = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (frame === undefined || frame.functionName === '(root)') continue;
      onStack.add(frameName(frame));
    }
    for (const key of onStack) inclusive.set(key, (inclusive.get(key) ?? 0) + us / 1000);
  }
  const busyMs = busyUs / 1000;
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs,
    self: rows(self, busyMs, top),
    inclusive: rows(inclusive, busyMs, top),
    areas: rows(areas, busyMs, 15),
  };
}

function table(title: string, list: readonly ProfileRow[]): string {
  const lines = [`| ${title} | ms | % of busy |`, '|---|---:|---:|'];
  for (const row of list) lines.push(`| \`${row.name.replaceAll('|', '\\|')}\` | ${row.ms.toFixed(0)} | ${row.percent.toFixed(1)} |`);
  return lines.join('\n');
}

export function profileMarkdown(summary: ProfileSummary): string {
  return [
    `Profiled ${(summary.wallMs / 1000).toFixed(1)} s of wall time, of which ${(summary.busyMs / 1000).toFixed(1)} s busy ` +
      `(${((summary.busyMs / summary.wallMs) * 100).toFixed(0)}% of one core).`,
    '',
    '**By area** (self time)',
    '',
    table('area', summary.areas),
    '',
    '**Top functions by self time**',
    '',
    table('function', summary.self),
    '',
    '**Top functions by inclusive time** (time with the function on the stack)',
    '',
    table('function', summary.inclusive),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: node bench/cpu-profile-summary.ts FILE.cpuprofile [--top N]');
    process.exit(2);
  }
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 25;
  console.log(profileMarkdown(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top)));
}
