import { Context, Contract, Default, Returns, Transaction } from 'fabric-contract-api';

import { checkInt64, parseInt64 } from './amount';

/** The part of the ChaincodeStub this contract uses (so tests can supply a small in-memory stub). */
export type StateStore = Pick<Context['stub'], 'getState' | 'putState' | 'deleteState'>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function checkAccountName(name: string, what: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`${what} must be a non-empty account name`);
  }
}

/**
 * A key for `put`/`get`: non-empty, and not starting with U+0000, which the shim reserves for composite keys
 * (a plain key there would be read back as one).
 */
function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new Error('key must be a non-empty string');
  }
  if (key.startsWith('\u0000')) {
    throw new Error('key must not start with U+0000 (reserved for composite keys)');
  }
}

/** Reads an account's balance; the shim returns an empty buffer for a key that does not exist. */
async function readBalance(state: StateStore, name: string): Promise<bigint> {
  const bytes = await state.getState(name);
  if (bytes.length === 0) {
    throw new Error(`account ${JSON.stringify(name)} does not exist`);
  }
  return parseInt64(decoder.decode(bytes), `stored value of account ${JSON.stringify(name)}`);
}

async function writeBalance(state: StateStore, name: string, value: bigint): Promise<void> {
  await state.putState(name, encoder.encode(value.toString()));
}

/**
 * The classic Fabric example02 chaincode ("chaincode_example02") as a contract:
 * two accounts holding integers, and transfers between them.
 *
 * The transaction names are the legacy function names, and this is the default contract, so the
 * legacy argument lists work unchanged: `{"Args":["init","A","10","B","20"]}`,
 * `{"Args":["invoke","A","B","10"]}`, `{"Args":["query","A"]}`, `{"Args":["delete","A"]}`
 * (the qualified form `mycc:query` works as well).
 *
 * All arguments are strings, exactly as the peer CLI passes them; integers are parsed here so that a bad
 * value gets a clear error rather than a schema-validation message.
 */
@Default()
export class MyccContract extends Contract {
  constructor() {
    super('mycc');
  }

  /** Creates (or resets) the two accounts `a` and `b` with the given balances. */
  @Transaction()
  async init(ctx: Context, a: string, aval: string, b: string, bval: string): Promise<void> {
    checkAccountName(a, 'first account');
    checkAccountName(b, 'second account');
    if (a === b) {
      throw new Error(`the two accounts must differ, got ${JSON.stringify(a)} twice`);
    }
    const avalue = parseInt64(aval, `initial value of account ${JSON.stringify(a)}`);
    const bvalue = parseInt64(bval, `initial value of account ${JSON.stringify(b)}`);
    await writeBalance(ctx.stub, a, avalue);
    await writeBalance(ctx.stub, b, bvalue);
  }

  /**
   * Moves `amount` from account `from` to account `to`. Balances may go negative and the amount may be
   * negative or zero, as in the original.
   */
  @Transaction()
  async invoke(ctx: Context, from: string, to: string, amount: string): Promise<void> {
    checkAccountName(from, 'source account');
    checkAccountName(to, 'destination account');
    if (from === to) {
      // The Go original reads both values before writing, so a self-transfer there credits the amount
      // without debiting it. Refuse it instead.
      throw new Error(`source and destination accounts must differ, got ${JSON.stringify(from)} twice`);
    }
    const x = parseInt64(amount, 'amount');
    const fromValue = await readBalance(ctx.stub, from);
    const toValue = await readBalance(ctx.stub, to);
    const newFrom = checkInt64(fromValue - x, `balance of account ${JSON.stringify(from)}`);
    const newTo = checkInt64(toValue + x, `balance of account ${JSON.stringify(to)}`);
    await writeBalance(ctx.stub, from, newFrom);
    await writeBalance(ctx.stub, to, newTo);
  }

  /** Returns the balance of account `name` as a decimal string, e.g. `"-10"`. */
  @Transaction(false)
  @Returns('string')
  async query(ctx: Context, name: string): Promise<string> {
    checkAccountName(name, 'account');
    return (await readBalance(ctx.stub, name)).toString();
  }

  /**
   * Stores `value` under `key`, creating or replacing it: one write and no read, so concurrent calls on
   * distinct keys never conflict (what a throughput benchmark needs; `invoke` reads and writes two shared
   * keys, so concurrent transfers invalidate each other). The value is kept as given, not parsed.
   */
  @Transaction()
  async put(ctx: Context, key: string, value: string): Promise<void> {
    checkKey(key);
    if (typeof value !== 'string') {
      throw new Error('value must be a string');
    }
    await ctx.stub.putState(key, encoder.encode(value));
  }

  /** Returns the value stored under `key` by `put` (or any account's balance, as text). */
  @Transaction(false)
  @Returns('string')
  async get(ctx: Context, key: string): Promise<string> {
    checkKey(key);
    const bytes = await ctx.stub.getState(key);
    if (bytes.length === 0) {
      throw new Error(`key ${JSON.stringify(key)} does not exist`);
    }
    return decoder.decode(bytes);
  }

  /** Removes account `name` from the ledger. */
  @Transaction()
  async delete(ctx: Context, name: string): Promise<void> {
    checkAccountName(name, 'account');
    const bytes = await ctx.stub.getState(name);
    if (bytes.length === 0) {
      throw new Error(`account ${JSON.stringify(name)} does not exist`);
    }
    await ctx.stub.deleteState(name);
  }
}
