import { readFileSync } from 'node:fs';

import { Context, JSONSerializer } from 'fabric-contract-api';
import ChaincodeFromContract from 'fabric-shim/lib/contract-spi/chaincodefromcontract.js';
import { beforeEach, describe, expect, it } from 'vitest';

import { contracts } from '../src/index';
import { MyccContract } from '../src/mycc-contract';

import { InvocationStub, MemoryStub } from './memory-stub';

function contextFor(stub: MemoryStub): Context {
  const ctx = new Context();
  ctx.stub = stub as unknown as Context['stub'];
  return ctx;
}

describe('MyccContract (called directly, in-memory stub)', () => {
  let stub: MemoryStub;
  let ctx: Context;
  let cc: MyccContract;

  beforeEach(() => {
    stub = new MemoryStub();
    ctx = contextFor(stub);
    cc = new MyccContract();
  });

  describe('init', () => {
    it('stores both initial values as decimal strings', async () => {
      await cc.init(ctx, 'A', '10', 'B', '20');
      expect(stub.snapshot()).toEqual({ A: '10', B: '20' });
      expect(await cc.query(ctx, 'A')).toBe('10');
      expect(await cc.query(ctx, 'B')).toBe('20');
    });

    it('accepts negative and signed values and stores them canonically (like strconv.Atoi/Itoa)', async () => {
      await cc.init(ctx, 'A', '-5', 'B', '+007');
      expect(stub.snapshot()).toEqual({ A: '-5', B: '7' });
    });

    it('resets existing accounts', async () => {
      stub.seed({ A: '1', B: '2' });
      await cc.init(ctx, 'A', '100', 'B', '200');
      expect(stub.snapshot()).toEqual({ A: '100', B: '200' });
    });

    it.each(['ten', '1.5', '', ' 10', '1e3', '0x10', '9223372036854775808'])(
      'rejects the initial value %j and writes nothing',
      async (bad) => {
        await expect(cc.init(ctx, 'A', '10', 'B', bad)).rejects.toThrow(
          /initial value of account "B" (must be an integer|is outside the 64-bit integer range)/,
        );
        expect(stub.snapshot()).toEqual({});
      },
    );

    it('rejects an empty or repeated account name', async () => {
      await expect(cc.init(ctx, '', '1', 'B', '2')).rejects.toThrow(
        /first account must be a non-empty account name/,
      );
      await expect(cc.init(ctx, 'A', '1', 'A', '2')).rejects.toThrow(/must differ/);
      expect(stub.snapshot()).toEqual({});
    });
  });

  describe('invoke', () => {
    beforeEach(async () => {
      await cc.init(ctx, 'A', '10', 'B', '20');
    });

    it('moves the amount from the first account to the second', async () => {
      await cc.invoke(ctx, 'A', 'B', '10');
      expect(stub.snapshot()).toEqual({ A: '0', B: '30' });
      await cc.invoke(ctx, 'B', 'A', '5');
      expect(stub.snapshot()).toEqual({ A: '5', B: '25' });
    });

    it('lets a balance go negative, like the original (A=10, invoke A B 20 -> A=-10, B=40)', async () => {
      await cc.invoke(ctx, 'A', 'B', '20');
      expect(await cc.query(ctx, 'A')).toBe('-10');
      expect(await cc.query(ctx, 'B')).toBe('40');
    });

    it('accepts a negative amount (moves value the other way) and zero', async () => {
      await cc.invoke(ctx, 'A', 'B', '-3');
      expect(stub.snapshot()).toEqual({ A: '13', B: '17' });
      await cc.invoke(ctx, 'A', 'B', '0');
      expect(stub.snapshot()).toEqual({ A: '13', B: '17' });
    });

    it('computes exactly beyond 2^53', async () => {
      await cc.init(ctx, 'A', '9007199254740993', 'B', '0');
      await cc.invoke(ctx, 'A', 'B', '1');
      expect(stub.snapshot()).toEqual({ A: '9007199254740992', B: '1' });
    });

    it.each([
      ['C', 'B'],
      ['A', 'C'],
    ])('fails with a clear error for an unknown account (%s -> %s) and changes nothing', async (from, to) => {
      await expect(cc.invoke(ctx, from, to, '1')).rejects.toThrow('account "C" does not exist');
      expect(stub.snapshot()).toEqual({ A: '10', B: '20' });
    });

    it.each(['abc', '1.5', '', ' 1', '1 ', '2e1', '--1', '99999999999999999999'])(
      'fails with a clear error for the amount %j and changes nothing',
      async (bad) => {
        await expect(cc.invoke(ctx, 'A', 'B', bad)).rejects.toThrow(
          /^amount (must be an integer|is outside the 64-bit integer range), got /,
        );
        expect(stub.snapshot()).toEqual({ A: '10', B: '20' });
      },
    );

    it('refuses a transfer from an account to itself', async () => {
      await expect(cc.invoke(ctx, 'A', 'A', '5')).rejects.toThrow(/must differ/);
      expect(stub.snapshot()).toEqual({ A: '10', B: '20' });
    });

    it('refuses a result outside the 64-bit range instead of wrapping', async () => {
      await cc.init(ctx, 'A', '9223372036854775807', 'B', '0');
      await expect(cc.invoke(ctx, 'B', 'A', '1')).rejects.toThrow(/balance of account "A" would be outside/);
      expect(stub.snapshot()).toEqual({ A: '9223372036854775807', B: '0' });
    });

    it('reports a corrupt stored value', async () => {
      stub.seed({ B: 'garbage' });
      await expect(cc.invoke(ctx, 'A', 'B', '1')).rejects.toThrow(
        'stored value of account "B" must be an integer, got "garbage"',
      );
    });
  });

  describe('query', () => {
    it('fails with a clear error for an unknown account', async () => {
      await expect(cc.query(ctx, 'nobody')).rejects.toThrow('account "nobody" does not exist');
    });
  });

  describe('delete', () => {
    it('removes the account, after which it is unknown', async () => {
      await cc.init(ctx, 'A', '10', 'B', '20');
      await cc.delete(ctx, 'A');
      expect(stub.snapshot()).toEqual({ B: '20' });
      await expect(cc.query(ctx, 'A')).rejects.toThrow('account "A" does not exist');
      await expect(cc.invoke(ctx, 'A', 'B', '1')).rejects.toThrow('account "A" does not exist');
    });

    it('fails with a clear error for an unknown account', async () => {
      await expect(cc.delete(ctx, 'A')).rejects.toThrow('account "A" does not exist');
    });
  });
  describe('put and get', () => {
    it('stores the value as given and reads it back', async () => {
      await cc.put(ctx, 'bench-1', 'hello world');
      await cc.put(ctx, 'bench-2', '');
      expect(stub.snapshot()).toEqual({ 'bench-1': 'hello world', 'bench-2': '' });
      expect(await cc.get(ctx, 'bench-1')).toBe('hello world');
    });

    it('replaces an existing value, accounts included', async () => {
      await cc.init(ctx, 'A', '10', 'B', '20');
      await cc.put(ctx, 'A', '11');
      expect(await cc.query(ctx, 'A')).toBe('11');
      await cc.put(ctx, 'A', 'not a number');
      await expect(cc.query(ctx, 'A')).rejects.toThrow('stored value of account "A" must be an integer');
    });

    it('writes without reading, so puts on distinct keys never touch the same key', async () => {
      const reads: string[] = [];
      const get = stub.getState.bind(stub);
      stub.getState = (key: string) => {
        reads.push(key);
        return get(key);
      };
      await cc.put(ctx, 'k1', 'v1');
      expect(reads).toEqual([]);
    });

    it('refuses an empty key or one in the composite-key namespace, and writes nothing', async () => {
      await expect(cc.put(ctx, '', 'v')).rejects.toThrow('key must be a non-empty string');
      await expect(cc.put(ctx, '\u0000asset\u0000', 'v')).rejects.toThrow(/reserved for composite keys/);
      expect(stub.snapshot()).toEqual({});
    });

    it('fails with a clear error for a key that was never written', async () => {
      await expect(cc.get(ctx, 'nothing')).rejects.toThrow('key "nothing" does not exist');
    });
  });
});

describe('through fabric-shim’s contract dispatcher (legacy argument lists)', () => {
  const creatorPem = readFileSync(new URL('./fixtures/client-cert.pem', import.meta.url), 'utf8');
  const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };
  const decoder = new TextDecoder();
  let chaincode: ChaincodeFromContract;
  let stub: InvocationStub;

  beforeEach(() => {
    chaincode = new ChaincodeFromContract(contracts, serializers, {}, 'mycc', '1.0.0');
    stub = new InvocationStub(creatorPem);
  });

  async function run(args: string[], init = false): Promise<{ status: number; text: string }> {
    stub.call(args);
    const res = init ? await chaincode.Init(stub) : await chaincode.Invoke(stub);
    return {
      status: res.status,
      text: res.status === 200 ? decoder.decode(res.payload ?? new Uint8Array(0)) : (res.message ?? ''),
    };
  }

  it('has mycc as the default contract, declared with @Default', () => {
    const reflect = Reflect as unknown as { getMetadata(key: string, target: object): unknown };
    expect(reflect.getMetadata('fabric:default', globalThis)).toBe('mycc');
    expect(chaincode.defaultContractName).toBe('mycc');
  });

  it('runs the classic sequence: init, invoke, query (plain and qualified), delete', async () => {
    expect(await run(['init', 'A', '10', 'B', '20'], true)).toEqual({ status: 200, text: '' });
    expect(await run(['query', 'A'])).toEqual({ status: 200, text: '10' });
    expect(await run(['invoke', 'A', 'B', '20'])).toEqual({ status: 200, text: '' });
    expect(await run(['query', 'A'])).toEqual({ status: 200, text: '-10' });
    expect(await run(['mycc:query', 'B'])).toEqual({ status: 200, text: '40' });
    expect(await run(['delete', 'A'])).toEqual({ status: 200, text: '' });
    expect(stub.snapshot()).toEqual({ B: '40' });
  });

  it('returns the contract’s error messages as the transaction error', async () => {
    await run(['init', 'A', '10', 'B', '20'], true);
    expect(await run(['query', 'C'])).toEqual({ status: 500, text: 'account "C" does not exist' });
    expect(await run(['invoke', 'A', 'B', 'x'])).toEqual({
      status: 500,
      text: 'amount must be an integer, got "x"',
    });
    expect(stub.snapshot()).toEqual({ A: '10', B: '20' });
  });

  it('puts and gets through the dispatcher, as the gateway client calls them', async () => {
    expect(await run(['put', 'bench-0-1', 'v'])).toEqual({ status: 200, text: '' });
    expect(await run(['get', 'bench-0-1'])).toEqual({ status: 200, text: 'v' });
    expect(await run(['mycc:get', 'missing'])).toEqual({ status: 500, text: 'key "missing" does not exist' });
  });

  it('checks the number of arguments', async () => {
    expect(await run(['invoke', 'A', 'B'])).toEqual({
      status: 500,
      text: 'Expected 3 parameters, but 2 have been supplied',
    });
  });
});
