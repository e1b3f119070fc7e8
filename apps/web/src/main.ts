/**
 * The page: draw → MNIST preprocessing (the same `@mnist/net/image` code the API runs on PNGs,
 * bundled) → the 28×28 preview → `POST /v1/models/{id}/predict` (debounced while drawing) → bars.
 */
import { inkFromPixels, mnistImage } from '@mnist/net/image';
import { ApiError, type ModelInfo, onTokenChange, type PredictAnswer, postJson } from './api.js';
import { byId } from './dom.js';
import { describeModel, ModelsView } from './models.js';
import { Pad } from './pad.js';
import { ResultView } from './result.js';
import { TrainingView } from './training.js';

/** Wait this long after the last change while drawing before asking for a prediction. */
const DEBOUNCE_MS = 120;

const errorBox = byId('error', HTMLParagraphElement);
function showError(e: unknown): void {
  errorBox.hidden = false;
  errorBox.textContent = e instanceof ApiError || e instanceof Error ? e.message : String(e);
}
const clearError = () => {
  errorBox.hidden = true;
};

const result = new ResultView();
let model: ModelInfo | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

async function predictNow(): Promise<void> {
  const version = pad.version;
  const px = pad.pixels();
  const X = mnistImage(
    inkFromPixels({ width: px.width, height: px.height, channels: 4, data: px.data }),
  );
  result.showInput(X);
  if (pad.strokeCount === 0) return result.showAnswer(null, version);
  if (!model) return result.showAnswer(null, version, 'No model to ask yet: train one below.');
  try {
    const answer = await postJson<PredictAnswer>(`/v1/models/${model.id}/predict`, {
      image: Array.from(X),
    });
    if (version !== pad.version) return; // the drawing changed meanwhile; a newer answer comes
    clearError();
    result.showAnswer(answer.predictions[0]!.probabilities, version, describeModel(model));
  } catch (e) {
    if (version === pad.version) result.showAnswer(null, version, 'No prediction.');
    showError(e);
  }
}

const pad = new Pad(byId('pad', HTMLCanvasElement), (final) => {
  clearTimeout(timer);
  timer = setTimeout(() => void predictNow(), final ? 0 : DEBOUNCE_MS);
});
byId('undo', HTMLButtonElement).addEventListener('click', () => pad.undo());
byId('clear', HTMLButtonElement).addEventListener('click', () => pad.clear());

const models = new ModelsView((m) => {
  model = m;
  document.body.dataset.model = m?.id ?? '';
  void predictNow();
}, showError);
new TrainingView((id) => models.refresh(id), showError);
models.refresh().catch(showError);
// A server with --auth-reads refuses the model list until the token is given: list again then.
onTokenChange(() => models.refresh().then(clearError, showError));
