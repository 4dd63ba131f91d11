// Front end of mnist_helpers.handwriting.pad.DrawingPad (an anywidget ES module).
// Draw with mouse, pen or finger (pointer events); each stroke's end sends every stroke so far as flat
// point lists in canvas pixels, in trait `drawing` ({request, strokes: [[x0, y0, x1, y1, ...], ...]});
// Python answers in trait `result` ({request, state, message, preview, models: [{name, top: [{digit,
// probability}]}]}), which this module renders. The pen's width comes from Python (trait `pen_fraction`).

const INK = "#111111";
const PAPER = "#ffffff";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el }) {
  const side = model.get("canvas_side");
  const root = element("div", "mnist-pad");
  root.dataset.state = "empty";
  root.dataset.request = "0";

  // Left: the canvas and the Clear button.
  const drawArea = element("div", "mnist-pad-draw");
  const canvas = element("canvas", "mnist-pad-canvas");
  canvas.setAttribute("aria-label", "Drawing pad: draw one digit");
  canvas.style.width = `${side}px`;
  canvas.style.height = `${side}px`;
  const ratio = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  canvas.width = Math.round(side * ratio);
  canvas.height = Math.round(side * ratio);
  const clear = element("button", "mnist-pad-clear", "Clear");
  clear.type = "button";
  drawArea.append(canvas, clear);

  // Right: the prepared 28x28 input, a status line and each model's top 3.
  const info = element("div", "mnist-pad-info");
  const previewBox = element("figure", "mnist-pad-input");
  const preview = element("img", "mnist-pad-preview");
  preview.alt = "The 28x28 input the models see";
  preview.width = 112;
  preview.height = 112;
  previewBox.append(preview, element("figcaption", "", "model input, 28×28"));
  const status = element("div", "mnist-pad-status", "draw a digit");
  const models = element("div", "mnist-pad-models");
  info.append(previewBox, status, models);
  root.append(drawArea, info);
  el.append(root);

  const context = canvas.getContext("2d");
  context.scale(ratio, ratio);
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = INK;
  context.fillStyle = INK;
  context.lineWidth = side * model.get("pen_fraction");

  function wipe() {
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = PAPER;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.restore();
  }
  wipe();

  let request = model.get("drawing").request || 0;
  let drawing = false;
  let last = null;
  let strokes = []; // every stroke on the canvas, each a flat [x0, y0, x1, y1, ...] list

  function point(event) {
    const box = canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * side) / box.width, y: ((event.clientY - box.top) * side) / box.height };
  }

  function send() {
    request += 1;
    root.dataset.request = String(request);
    model.set("drawing", { request, strokes: strokes.map((stroke) => stroke.slice()) });
    model.save_changes();
  }

  function record(at) {
    strokes[strokes.length - 1].push(Math.round(at.x * 10) / 10, Math.round(at.y * 10) / 10);
  }

  function onDown(event) {
    if (event.button !== undefined && event.button > 0) return; // main button, pen or finger only
    event.preventDefault();
    canvas.setPointerCapture?.(event.pointerId);
    drawing = true;
    last = point(event);
    strokes.push([]);
    record(last);
    context.beginPath();
    context.arc(last.x, last.y, context.lineWidth / 2, 0, 2 * Math.PI);
    context.fill();
  }

  function onMove(event) {
    if (!drawing) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const each of events.length ? events : [event]) {
      const next = point(each);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      record(next);
      last = next;
    }
  }

  function onUp(event) {
    if (!drawing) return;
    event.preventDefault();
    drawing = false;
    root.dataset.state = "pending";
    status.textContent = "reading…";
    send();
  }

  function onClear() {
    wipe();
    strokes = [];
    showEmpty("draw a digit");
    send();
  }

  function showEmpty(message) {
    root.dataset.state = "empty";
    status.textContent = message;
    preview.removeAttribute("src");
    models.replaceChildren();
  }

  function showResult() {
    const result = model.get("result");
    if (!result || result.request !== request) return; // an answer to an older stroke: a newer one is on its way
    root.dataset.state = result.state;
    if (result.state !== "ok") {
      showEmpty(result.message || "draw a digit");
      if (result.state === "error") root.dataset.state = "error";
      return;
    }
    status.textContent = "";
    preview.src = result.preview;
    const blocks = result.models.map(({ name, top }) => {
      const block = element("div", "mnist-pad-model");
      block.dataset.model = name;
      const list = element("ol", "mnist-pad-top");
      for (const { digit, probability } of top) {
        const item = element("li", "mnist-pad-guess");
        item.dataset.digit = String(digit);
        item.dataset.probability = probability.toFixed(4);
        const bar = element("span", "mnist-pad-bar");
        bar.style.width = `${Math.round(probability * 100)}%`;
        item.append(
          element("span", "mnist-pad-digit", String(digit)),
          element("span", "mnist-pad-probability", `${(probability * 100).toFixed(1)}%`),
          bar,
        );
        list.append(item);
      }
      block.append(element("div", "mnist-pad-model-name", name), list);
      return block;
    });
    models.replaceChildren(...blocks);
  }

  canvas.addEventListener("pointerdown", onDown);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerup", onUp);
  canvas.addEventListener("pointercancel", onUp);
  clear.addEventListener("click", onClear);
  model.on("change:result", showResult);
  showEmpty("draw a digit");

  return () => {
    model.off("change:result", showResult);
  };
}

export default { render };
