import { describe, expect, it } from 'vitest';
import { chatMessagesFor, Conversation, MAX_HISTORY_TURNS, MAX_QUESTION_CHARS, tidyAnswer } from '@/lib/ask/conversation';

describe('chatMessagesFor', () => {
  it('sends the image with the first question only, and the earlier answers in between', () => {
    const messages = chatMessagesFor({ history: [{ question: 'What colour is the shape?', answer: 'red' }], question: 'What shape is it?' });
    expect(messages).toEqual([
      { role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'What colour is the shape?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'red' }] },
      { role: 'user', content: [{ type: 'text', text: 'What shape is it?' }] },
    ]);
  });

  it('a first question carries the image', () => {
    expect(chatMessagesFor({ history: [], question: 'q' })).toEqual([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'q' }] }]);
  });

  it('keeps only the latest turns, and the image still goes with the first question sent', () => {
    const history = Array.from({ length: MAX_HISTORY_TURNS + 3 }, (_, i) => ({ question: `q${i}`, answer: `a${i}` }));
    const messages = chatMessagesFor({ history, question: 'last' });
    expect(messages).toHaveLength(MAX_HISTORY_TURNS * 2 + 1);
    expect(messages[0]).toEqual({ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'q3' }] });
    expect(messages.filter((m) => m.content.some((c) => c.type === 'image'))).toHaveLength(1);
  });
});

describe('Conversation', () => {
  it('streams an answer, then sends it back as history with the next question', () => {
    const chat = new Conversation();
    expect(chat.ask('  What colour   is the shape? ', 'r1')).toEqual({ history: [], question: 'What colour is the shape?' });
    expect(chat.isAnswering).toBe(true);
    expect(chat.progress('r1', ' re')).toBe(true);
    expect(chat.shown[0]).toMatchObject({ answer: 're', state: 'streaming' });
    expect(chat.end('r1', { kind: 'answered', answer: 'red ' })).toBe(true);
    expect(chat.isAnswering).toBe(false);
    expect(chat.ask('What shape is it?', 'r2')).toEqual({ history: [{ question: 'What colour is the shape?', answer: 'red' }], question: 'What shape is it?' });
  });

  it('asks one question at a time and refuses an empty one', () => {
    const chat = new Conversation();
    expect(chat.ask('   ', 'r0')).toBeNull();
    expect(chat.ask('one', 'r1')).not.toBeNull();
    expect(chat.ask('two', 'r2')).toBeNull();
    expect(chat.shown).toHaveLength(1);
  });

  it('Stop keeps what was said, ignores what still arrives, and leaves it out of the history', () => {
    const chat = new Conversation();
    chat.ask('Describe this image in detail.', 'r1', { detail: true });
    chat.progress('r1', 'A red');
    expect(chat.stop()).toBe('r1');
    expect(chat.progress('r1', 'A red circle')).toBe(false);
    expect(chat.end('r1', { kind: 'answered', answer: 'A red circle on a light background.' })).toBe(false);
    expect(chat.shown[0]).toMatchObject({ answer: 'A red', state: 'stopped', detail: true });
    expect(chat.stop()).toBeNull();
    expect(chat.ask('What shape is it?', 'r2')?.history).toEqual([]);
  });

  it('a failed answer says why and is not history', () => {
    const chat = new Conversation();
    chat.ask('q', 'r1');
    chat.end('r1', { kind: 'failed', message: 'The model could not be loaded.' });
    expect(chat.shown[0]).toMatchObject({ state: 'failed', message: 'The model could not be loaded.' });
    expect(chat.ask('again', 'r2')?.history).toEqual([]);
  });

  it('cuts questions and answers to their limits', () => {
    const chat = new Conversation();
    expect(chat.ask('x'.repeat(MAX_QUESTION_CHARS + 50), 'r1')?.question).toHaveLength(MAX_QUESTION_CHARS);
    expect(tidyAnswer(' a \n\n b\t\tc ')).toBe('a\nb c');
  });
});
