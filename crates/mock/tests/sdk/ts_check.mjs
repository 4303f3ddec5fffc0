// Drives a running claude-rs-mock with the official TypeScript SDK.
//
// Usage: node ts_check.mjs BASE_URL [API_VERSION]   (with @anthropic-ai/sdk installed)
//
// With API_VERSION (2023-06-01, say) the client sends it as its
// `anthropic-version`; without, the SDK's own default (2026-10-21).
//
// The same checks as python_check.py, through the TypeScript SDK and the
// mock's control API under /_mock/. Prints one line per check and a
// summary; exits 1 if any check fails.

import Anthropic, { toFile } from '@anthropic-ai/sdk';
import { FileNotDownloadableError } from '@anthropic-ai/sdk/resources/files';
import { VERSION } from '@anthropic-ai/sdk/version';

const BASE = process.argv[2].replace(/\/$/, '');
const MODEL = 'claude-haiku-5-5';
const API_VERSION = process.argv[3];
const client = new Anthropic({
  baseURL: BASE,
  apiKey: 'sk-ant-test-typescript',
  maxRetries: 2,
  defaultHeaders: API_VERSION ? { 'anthropic-version': API_VERSION } : undefined,
});

async function control(method, path, body) {
  const response = await fetch(BASE + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

const say = (text, extra = {}) => ({
  model: MODEL,
  max_tokens: 256,
  messages: [{ role: 'user', content: text }],
  ...extra,
});

async function expectError(promise, Class) {
  try {
    await promise;
  } catch (err) {
    assert(err instanceof Class, `expected ${Class.name}, got ${err?.constructor?.name}: ${err}`);
    return err;
  }
  throw new Error(`expected ${Class.name}, got no error`);
}

const checks = {
  async create_returns_the_echo() {
    const message = await client.messages.create(say('Hello there'));
    assert(message.content[0].text === 'Hello there', JSON.stringify(message.content));
    assert(message.stop_reason === 'end_turn', message.stop_reason);
  },

  async scripted_reply_via_control_api() {
    await control('POST', '/_mock/script', { replies: { messages: [{ text: 'scripted from TypeScript' }] } });
    const message = await client.messages.create(say('ignored'));
    assert(message.content[0].text === 'scripted from TypeScript', JSON.stringify(message.content));
  },

  async stream_with_helpers() {
    const pieces = [];
    const stream = client.messages.stream(say('one two three four five')).on('text', (t) => pieces.push(t));
    const final = await stream.finalMessage();
    assert(pieces.length > 1, pieces);
    assert(pieces.join('') === 'one two three four five', pieces.join(''));
    assert(final.content[0].text === 'one two three four five', JSON.stringify(final.content));
  },

  async count_tokens_matches_usage() {
    const counted = await client.messages.countTokens({
      model: MODEL,
      messages: [{ role: 'user', content: 'count these words' }],
    });
    const used = (await client.messages.create(say('count these words'))).usage.input_tokens;
    assert(counted.input_tokens === used, `${counted.input_tokens} != ${used}`);
  },

  async models_list_and_retrieve() {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    assert(models.length >= 5, models.length);
    assert(['active', 'deprecated', 'retired'].includes(models[0].lifecycle), models[0].lifecycle);
    assert(models[0].max_tokens && models[0].max_input_tokens, JSON.stringify(models[0]));
    const opus = await client.models.retrieve('claude-opus-4-5');
    assert(opus.id === 'claude-opus-4-5-20251101' && opus.max_tokens === 64000, JSON.stringify(opus));
  },

  async batches_create_poll_results() {
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: 'first', params: say('batch one') },
        { custom_id: 'second', params: say('batch two') },
      ],
    });
    assert(batch.processing_status === 'in_progress', batch.processing_status);
    const ended = await client.messages.batches.retrieve(batch.id);
    assert(ended.processing_status === 'ended', ended.processing_status);
    const results = {};
    for await (const line of await client.messages.batches.results(batch.id)) results[line.custom_id] = line.result;
    assert(results.first.type === 'succeeded', JSON.stringify(results.first));
    assert(results.second.message.content[0].text === 'batch two', JSON.stringify(results.second));
  },

  async files_25_paged_and_downloads() {
    const ids = [];
    for (let i = 0; i < 25; i++) {
      const file = await toFile(Buffer.from(`data ${i}`), `f${i}.txt`, { type: 'text/plain' });
      ids.push((await client.files.upload({ file })).id);
    }
    const listed = [];
    for await (const file of client.files.list()) listed.push(file.id);
    assert(ids.every((id) => listed.includes(id)), `${listed.length} listed`);
    const refused = await expectError(client.files.download(ids[0]), FileNotDownloadableError);
    assert(refused.status === 400 && refused.errorCode === 'file_not_downloadable', refused.errorCode);
    const made = await control('POST', '/_mock/files', { filename: 'out.csv', mime_type: 'text/csv', content: 'a,b\n1,2\n' });
    const content = await (await client.files.download(made.id)).text();
    assert(content === 'a,b\n1,2\n', content);
  },

  async skills_25_paged() {
    const manifest = Buffer.from('---\nname: pdf-tools\ndescription: Fill PDF forms\n---\nSteps.');
    const skillFile = (dir) => toFile(manifest, `${dir}/SKILL.md`, { type: 'text/markdown' });
    const first = await client.skills.create({ files: [await skillFile('pdf')] });
    assert(first.display_name === 'pdf-tools' && first.source.type === 'custom', JSON.stringify(first));
    for (let i = 0; i < 24; i++) {
      await client.skills.create({ files: [await skillFile(`s${i}`)], display_name: `skill ${i}` });
    }
    const listed = [];
    for await (const skill of client.skills.list()) listed.push(skill.id);
    assert(listed.length === 25, listed.length);
    assert(listed.at(-1) === first.id, 'oldest last');
  },

  async unknown_model_is_not_found() {
    const err = await expectError(
      client.messages.create(say('x', { model: 'claude-does-not-exist' })),
      Anthropic.NotFoundError,
    );
    assert(err.error.error.message === 'model: claude-does-not-exist', JSON.stringify(err.error));
  },

  async invalid_request_is_bad_request() {
    const err = await expectError(
      client.messages.create(say('x', { max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 512 } })),
      Anthropic.BadRequestError,
    );
    const message = err.error.error.message;
    assert(message === 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024', message);
  },

  async sampling_follows_the_api_version() {
    // 2026-10-21 (the SDK's default) refuses `temperature`; 2023-06-01 takes it.
    const sent = API_VERSION ?? '2026-10-21';
    let accepted = true;
    try {
      await client.messages.create(say('x', { temperature: 0.5 }));
    } catch (err) {
      assert(err instanceof Anthropic.BadRequestError, String(err));
      assert(err.error.error.message.includes('temperature'), err.error.error.message);
      accepted = false;
    }
    assert(accepted === sent < '2026-10-21', `${sent}: accepted=${accepted}`);
  },

  async scripted_529_then_ok_is_retried() {
    await control('POST', '/_mock/reset');
    await control('POST', '/_mock/script', {
      faults: [{ fault: { kind: 'overloaded', retry_after_ms: 10 }, times: 1, route: 'messages' }],
    });
    const message = await client.messages.create(say('after a retry'));
    assert(message.content[0].text === 'after a retry', JSON.stringify(message.content));
    const attempts = (await control('GET', '/_mock/requests?route=messages')).data;
    assert(attempts.length === 2, attempts.length);
  },

  async sse_error_midway_raises() {
    await control('POST', '/_mock/script', { faults: [{ fault: { kind: 'sse_error_at', index: 3 } }] });
    const stream = client.messages.stream(say('a long enough answer to stream'));
    const err = await expectError(stream.finalMessage(), Anthropic.APIError);
    assert(String(err).includes('Overloaded'), String(err));
  },

  async forced_tool_choice_gives_a_tool_call() {
    const tools = [{
      name: 'get_weather',
      description: 'Weather for a city',
      input_schema: {
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'integer' } },
        required: ['city'],
      },
    }];
    const message = await client.messages.create(say('weather?', { tools, tool_choice: { type: 'tool', name: 'get_weather' } }));
    assert(message.stop_reason === 'tool_use', message.stop_reason);
    const call = message.content.at(-1);
    assert(call.type === 'tool_use' && typeof call.input.city === 'string', JSON.stringify(call));
  },

  async thinking_gives_a_signed_thinking_block() {
    const message = await client.messages.create(say('think about it', {
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
    }));
    assert(message.content[0].type === 'thinking' && message.content[0].signature, JSON.stringify(message.content[0]));
    assert(message.content[1].type === 'text', JSON.stringify(message.content[1]));
  },
};

let passed = 0;
const names = Object.keys(checks);
for (const name of names) {
  try {
    await checks[name]();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (err) {
    console.log(`FAIL ${name}: ${err?.stack ?? err}`);
  }
}
console.log(
  `typescript: ${passed}/${names.length} checks passed (@anthropic-ai/sdk ${VERSION}, anthropic-version ${API_VERSION ?? 'default'})`,
);
process.exit(passed === names.length ? 0 : 1);
