/**
 * A conversation about one image: the questions asked, the answers given, and the answer still coming.
 * DOM-free: the panel renders it, the engine turns it into the model's chat messages.
 */

/** One finished exchange. Only these go back to the model as history. */
export interface ChatTurn {
  question: string;
  answer: string;
}

/** What the engine needs to answer: the earlier turns and the new question. */
export interface AskRequest {
  history: ChatTurn[];
  question: string;
}

/** "More detail" asks the model this; the panel shows its own label for it, in the reader's language. */
export const DETAIL_QUESTION = 'Describe this image in detail.';
export const MAX_QUESTION_CHARS = 500;
export const MAX_ANSWER_CHARS = 4000;
/**
 * Earlier turns sent back with a new question. Small on-device models lose the thread on long histories,
 * and every turn lengthens the prompt the model reads before its first new token.
 */
export const MAX_HISTORY_TURNS = 4;

/** The chat messages transformers.js chat templates (and Chrome's Prompt API) take: the image goes with the first question. */
export type ChatMessage =
  | { role: 'user'; content: ({ type: 'image' } | { type: 'text'; text: string })[] }
  | { role: 'assistant'; content: { type: 'text'; text: string }[] };

export function chatMessagesFor(request: AskRequest): ChatMessage[] {
  const history = request.history.slice(-MAX_HISTORY_TURNS);
  const messages: ChatMessage[] = [];
  const questions = [...history.map((t) => t.question), request.question];
  questions.forEach((question, i) => {
    const text = { type: 'text' as const, text: question };
    messages.push({ role: 'user', content: i === 0 ? [{ type: 'image' }, text] : [text] });
    const answer = history[i]?.answer;
    if (answer !== undefined) messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
  });
  return messages;
}

/** Models pad answers with spaces and newlines, and sometimes stop mid-sentence at the token limit. */
export function tidyAnswer(raw: string): string {
  return raw.replace(/[ \t]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim().slice(0, MAX_ANSWER_CHARS);
}

export function tidyQuestion(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_QUESTION_CHARS);
}

export type TurnEnd = { kind: 'answered'; answer: string; modelId?: string } | { kind: 'stopped' } | { kind: 'failed'; message: string };

/** A turn as the panel shows it: finished, still streaming, stopped or failed. */
export interface ShownTurn {
  question: string;
  /** The answer so far (streaming), or in full. */
  answer: string;
  state: 'streaming' | 'answered' | 'stopped' | 'failed';
  /** Why it failed, for the reader. */
  message?: string;
  /** Whether this is "More detail" rather than a typed question. */
  detail: boolean;
  /** The model that answered, for the alt text's marker. */
  modelId?: string;
}

/**
 * The panel's state for one image. One question at a time; an answer that arrives for a request that is no
 * longer current (stopped, superseded) changes nothing.
 */
export class Conversation {
  private readonly turns: ShownTurn[] = [];
  private currentRequestId: string | null = null;

  get shown(): readonly ShownTurn[] {
    return this.turns;
  }

  get isAnswering(): boolean {
    return this.currentRequestId !== null;
  }

  /** Starts a question; the request to send, or null when one is still being answered or it is empty. */
  ask(question: string, requestId: string, options: { detail?: boolean } = {}): AskRequest | null {
    const tidy = tidyQuestion(question);
    if (this.currentRequestId !== null || tidy === '') return null;
    const request: AskRequest = { history: this.history(), question: tidy };
    this.turns.push({ question: tidy, answer: '', state: 'streaming', detail: options.detail === true });
    this.currentRequestId = requestId;
    return request;
  }

  /** The answer so far (the whole text, not a delta: a lost message costs nothing). */
  progress(requestId: string, textSoFar: string): boolean {
    const turn = this.current(requestId);
    if (!turn) return false;
    turn.answer = tidyAnswer(textSoFar);
    return true;
  }

  end(requestId: string, end: TurnEnd): boolean {
    const turn = this.current(requestId);
    if (!turn) return false;
    this.currentRequestId = null;
    if (end.kind === 'answered') Object.assign(turn, { answer: tidyAnswer(end.answer), state: 'answered', modelId: end.modelId });
    else if (end.kind === 'stopped') turn.state = 'stopped';
    else Object.assign(turn, { state: 'failed', message: end.message });
    return true;
  }

  /** Stops the current answer here, whatever the engine still sends; the id to cancel, if any. */
  stop(): string | null {
    const requestId = this.currentRequestId;
    if (requestId !== null) this.end(requestId, { kind: 'stopped' });
    return requestId;
  }

  /** Finished exchanges only: a stopped or failed answer is not something the model said. */
  private history(): ChatTurn[] {
    return this.turns.filter((t) => t.state === 'answered' && t.answer !== '').map((t) => ({ question: t.question, answer: t.answer }));
  }

  private current(requestId: string): ShownTurn | null {
    if (requestId !== this.currentRequestId) return null;
    return this.turns.at(-1) ?? null;
  }
}
