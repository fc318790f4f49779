import { describe, expect, it } from 'vitest';
import { greedyPlan, isPlainGreedy, type OrtSession } from '@/lib/caption/greedy-decoder';

const session = (inputNames: readonly string[], inputMetadata: OrtSession['inputMetadata'] = []): OrtSession => ({
  inputNames,
  inputMetadata,
  run: async () => ({}),
});
const encoder = session(['pixel_values']);
const past = (name: string, type = 'float32') => ({ name, type, shape: ['batch_size', 4, 'past_sequence_length', 16] as (string | number)[] });
const decoder = session(
  ['input_ids', 'encoder_hidden_states', 'past_key_values.0.key', 'past_key_values.0.value'],
  [past('past_key_values.0.key'), past('past_key_values.0.value')],
);
const greedy = { decoder_start_token_id: 1, eos_token_id: 2, do_sample: false, num_beams: 1 };

describe('greedy decoding on the sessions', () => {
  it('takes plain greedy settings only: sampling, beams and logits processors keep generate()', () => {
    expect(isPlainGreedy(greedy)).toBe(true);
    expect(isPlainGreedy({})).toBe(true);
    for (const other of [{ do_sample: true }, { num_beams: 4 }, { repetition_penalty: 1.2 }, { no_repeat_ngram_size: 3 }, { bad_words_ids: [[5]] }, { min_length: 5 }, { forced_eos_token_id: 2 }]) {
      expect(isPlainGreedy({ ...greedy, ...other }), JSON.stringify(other)).toBe(false);
    }
    expect(isPlainGreedy({ ...greedy, suppress_tokens: [] })).toBe(true);
  });

  it('plans the empty first-step cache as transformers.js builds it: batch 1, no past', () => {
    const plan = greedyPlan(encoder, decoder, greedy)!;
    expect(plan.startTokenId).toBe(1);
    expect(plan.eosTokenIds).toEqual([2]);
    expect(plan.emptyPast).toEqual([
      { name: 'past_key_values.0.key', type: 'float32', shape: [1, 4, 0, 16] },
      { name: 'past_key_values.0.value', type: 'float32', shape: [1, 4, 0, 16] },
    ]);
  });

  it('leaves to generate() what it does not know: other inputs, unknown cache types, no start token', () => {
    expect(greedyPlan(encoder, session([...decoder.inputNames, 'encoder_attention_mask'], decoder.inputMetadata), greedy)).toBeNull();
    expect(greedyPlan(encoder, session(decoder.inputNames, [past('past_key_values.0.key', 'int8'), past('past_key_values.0.value')]), greedy)).toBeNull();
    expect(greedyPlan(encoder, session(decoder.inputNames, []), greedy)).toBeNull();
    expect(greedyPlan(encoder, decoder, { eos_token_id: 2 })).toBeNull();
    expect(greedyPlan(encoder, decoder, { ...greedy, num_beams: 3 })).toBeNull();
    expect(greedyPlan(session(['input_values']), decoder, greedy)).toBeNull();
  });
});
