/**
 * Backend choice. WebGPU is chosen automatically only on a real GPU adapter: a software
 * fallback adapter (SwiftShader) is correct but 10-300x slower than WASM, so `auto` declines
 * it and says so. `webgpu` forces it, fallback or not, or fails with BACKEND_UNAVAILABLE.
 */
import { InpageError } from '../errors.js';
import type { AdapterSummary, BackendPreference, BackendReport } from '../protocol/backend-report.js';

export interface AdapterProbe {
  adapter: GPUAdapter | null;
  summary?: AdapterSummary;
  /** Why no adapter could be had, when none. */
  problem?: string;
}

interface GpuLike {
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}

function navigatorGpu(): GpuLike | undefined {
  const nav: unknown = globalThis.navigator;
  if (typeof nav !== 'object' || nav === null || !('gpu' in nav)) return undefined;
  const gpu: unknown = nav.gpu;
  return typeof gpu === 'object' && gpu !== null && 'requestAdapter' in gpu ? (gpu as GpuLike) : undefined;
}

export function summariseAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  // Chromium moved isFallbackAdapter from the adapter onto adapter.info; read both.
  const legacy: unknown = (adapter as unknown as { isFallbackAdapter?: unknown }).isFallbackAdapter;
  const onInfo: unknown = (info as unknown as { isFallbackAdapter?: unknown }).isFallbackAdapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: onInfo === true || legacy === true,
  };
}

export async function probeAdapter(): Promise<AdapterProbe> {
  const gpu = navigatorGpu();
  if (!gpu) return { adapter: null, problem: 'this browser has no navigator.gpu' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { adapter: null, problem: 'navigator.gpu.requestAdapter() returned no adapter' };
    return { adapter, summary: summariseAdapter(adapter) };
  } catch (error) {
    return { adapter: null, problem: `requestAdapter() failed: ${String(error)}` };
  }
}

function describe(summary: AdapterSummary): string {
  const name = [summary.vendor, summary.architecture, summary.device].filter(Boolean).join(' ');
  return name || summary.description || 'unnamed adapter';
}

export interface BackendPlan {
  /** The thread count is the engine's to add (runtime/threads.ts). */
  report: Omit<BackendReport, 'threads'>;
  adapter: GPUAdapter | null;
}

/** Decides the backend from the preference and what the adapter probe found. */
export function planBackend(requested: BackendPreference, probe: AdapterProbe): BackendPlan {
  const adapterFields = probe.summary ? { adapter: probe.summary } : {};
  if (requested === 'wasm') {
    return { adapter: null, report: { name: 'wasm', requested, reason: 'WASM was requested', ...adapterFields } };
  }
  if (requested === 'webgpu') {
    if (!probe.adapter || !probe.summary) {
      throw new InpageError('BACKEND_UNAVAILABLE', `WebGPU was requested but ${probe.problem ?? 'no adapter is available'}`);
    }
    const kind = probe.summary.isFallbackAdapter ? 'software fallback adapter' : 'adapter';
    return {
      adapter: probe.adapter,
      report: { name: 'webgpu', requested, reason: `WebGPU was requested; running on ${kind} ${describe(probe.summary)}`, ...adapterFields },
    };
  }
  if (!probe.adapter || !probe.summary) {
    return { adapter: null, report: { name: 'wasm', requested, reason: `WASM, because ${probe.problem ?? 'WebGPU is unavailable'}` } };
  }
  if (probe.summary.isFallbackAdapter) {
    return {
      adapter: null,
      report: {
        name: 'wasm',
        requested,
        reason: `WASM, because the only WebGPU adapter is a software fallback adapter (${describe(probe.summary)}), slower than WASM`,
        ...adapterFields,
      },
    };
  }
  return {
    adapter: probe.adapter,
    report: { name: 'webgpu', requested, reason: `WebGPU on hardware adapter ${describe(probe.summary)}`, ...adapterFields },
  };
}
