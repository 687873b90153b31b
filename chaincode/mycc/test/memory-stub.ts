import type { StateStore } from '../src/mycc-contract';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Runs `fn` and reports its result or error as a promise, as the real (async) stub methods do. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * An in-memory stand-in for the parts of fabric-shim's ChaincodeStub that the contract uses. Like the
 * real stub, getState returns an empty buffer for a missing key and an empty key is rejected.
 */
export class MemoryStub implements StateStore {
  readonly state = new Map<string, Uint8Array>();

  getState(key: string): Promise<Uint8Array> {
    return settle(() => {
      MemoryStub.checkKey(key);
      const value = this.state.get(key);
      return value ? value.slice() : new Uint8Array(0);
    });
  }

  putState(key: string, value: Uint8Array): Promise<void> {
    return settle(() => {
      MemoryStub.checkKey(key);
      this.state.set(key, Uint8Array.from(value));
    });
  }

  deleteState(key: string): Promise<void> {
    return settle(() => {
      MemoryStub.checkKey(key);
      this.state.delete(key);
    });
  }

  /** The stored value of `key` as text, or undefined. */
  text(key: string): string | undefined {
    const value = this.state.get(key);
    return value === undefined ? undefined : decoder.decode(value);
  }

  /** A plain copy of the whole state, for "nothing changed" assertions. */
  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.state].map(([k, v]) => [k, decoder.decode(v)]));
  }

  seed(values: Record<string, string>): this {
    for (const [k, v] of Object.entries(values)) {
      this.state.set(k, encoder.encode(v));
    }
    return this;
  }

  private static checkKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0) {
      throw new Error('key must not be empty');
    }
  }
}

/**
 * A MemoryStub that also answers what fabric-shim's contract dispatcher (ChaincodeFromContract) asks of
 * a stub: the invocation arguments, the transaction and channel IDs and the creator's certificate.
 */
export class InvocationStub extends MemoryStub {
  private args: Buffer[] = [];
  private txCounter = 0;

  constructor(private readonly creatorPem: string) {
    super();
  }

  /** Sets the arguments of the next invocation, e.g. `["query", "A"]`. */
  call(args: string[]): this {
    // The real stub hands out Buffers (the dispatcher calls toString() on the function name).
    this.args = args.map((a) => Buffer.from(a, 'utf8'));
    this.txCounter += 1;
    return this;
  }

  getBufferArgs(): Buffer[] {
    return this.args;
  }

  getTxID(): string {
    return `tx${String(this.txCounter)}`;
  }

  getChannelID(): string {
    return 'mychannel';
  }

  getCreator(): { mspid: string; idBytes: Uint8Array } {
    return { mspid: 'Org1MSP', idBytes: encoder.encode(this.creatorPem) };
  }
}
