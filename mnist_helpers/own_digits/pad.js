// Front end of mnist_helpers.own_digits.pad.DrawingPad (an anywidget ES module).
// Draw with mouse, pen or finger (pointer events); each stroke's end sends every stroke so far as flat
// point lists in canvas pixels, in trait `drawing` ({request, strokes: [[x0, y0, x1, y1, ...], ...]}).
// Python answers in trait `result` ({request, state, message, digits: [{preview, box, warning}],
// models: [{name, number, digits: [{top: [{digit, probability}]}]}]}), which this module renders.
// Undo takes back the last stroke, Clear all of them. The pen's width comes from Python (`pen_fraction`).

const INK = "#111111";
const PAPER = "#ffffff";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(className, text) {
  const node = element("button", className, text);
  node.type = "button";
  return node;
}

function guessList(top) {
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
  return list;
}

function render({ model, el }) {
  const height = model.get("canvas_side");
  const width = model.get("canvas_width");
  const root = element("div", "mnist-pad");
  root.dataset.state = "empty";
  root.dataset.request = "0";

  // Left: the canvas, Undo and Clear.
  const drawArea = element("div", "mnist-pad-draw");
  const canvas = element("canvas", "mnist-pad-canvas");
  canvas.setAttribute("aria-label", "Drawing pad: draw a digit or a number");
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ratio = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const buttons = element("div", "mnist-pad-buttons");
  const undo = button("mnist-pad-undo", "Undo");
  const clear = button("mnist-pad-clear", "Clear");
  buttons.append(undo, clear);
  drawArea.append(canvas, buttons);

  // Right: each digit's 28x28 input, a status line (and any flag), each model's reading.
  const info = element("div", "mnist-pad-info");
  const previews = element("div", "mnist-pad-inputs");
  const caption = element("div", "mnist-pad-caption", "model input, 28×28");
  const status = element("div", "mnist-pad-status", "draw a digit");
  const flag = element("div", "mnist-pad-flag");
  const models = element("div", "mnist-pad-models");
  info.append(previews, caption, status, flag, models);
  root.append(drawArea, info);
  el.append(root);

  const context = canvas.getContext("2d");
  context.scale(ratio, ratio);
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = INK;
  context.fillStyle = INK;
  context.lineWidth = height * model.get("pen_fraction");

  let request = model.get("drawing").request || 0;
  let drawing = false;
  let last = null;
  let strokes = []; // every stroke on the canvas, each a flat [x0, y0, x1, y1, ...] list

  function wipe() {
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = PAPER;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.restore();
  }

  function dot(at) {
    context.beginPath();
    context.arc(at.x, at.y, context.lineWidth / 2, 0, 2 * Math.PI);
    context.fill();
  }

  function segment(from, to) {
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
  }

  function redraw() {
    // Undo: the canvas drawn again from the strokes that are left, the way they were drawn.
    wipe();
    for (const stroke of strokes) {
      dot({ x: stroke[0], y: stroke[1] });
      for (let i = 2; i < stroke.length; i += 2) {
        segment({ x: stroke[i - 2], y: stroke[i - 1] }, { x: stroke[i], y: stroke[i + 1] });
      }
    }
  }

  function point(event) {
    const box = canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * width) / box.width, y: ((event.clientY - box.top) * height) / box.height };
  }

  function send() {
    request += 1;
    root.dataset.request = String(request);
    root.dataset.strokes = String(strokes.length);
    model.set("drawing", { request, strokes: strokes.map((stroke) => stroke.slice()) });
    model.save_changes();
  }

  function record(at) {
    strokes[strokes.length - 1].push(Math.round(at.x * 10) / 10, Math.round(at.y * 10) / 10);
  }

  function pending() {
    root.dataset.state = "pending";
    status.textContent = "reading…";
  }

  function onDown(event) {
    if (event.button !== undefined && event.button > 0) return; // main button, pen or finger only
    event.preventDefault();
    canvas.setPointerCapture?.(event.pointerId);
    drawing = true;
    last = point(event);
    strokes.push([]);
    record(last);
    dot(last);
  }

  function onMove(event) {
    if (!drawing) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const each of events.length ? events : [event]) {
      const next = point(each);
      segment(last, next);
      record(next);
      last = next;
    }
  }

  function onUp(event) {
    if (!drawing) return;
    event.preventDefault();
    drawing = false;
    pending();
    send();
  }

  function onUndo() {
    if (!strokes.length) return;
    strokes.pop();
    redraw();
    if (strokes.length) pending();
    else showEmpty("draw a digit");
    send();
  }

  function onClear() {
    strokes = [];
    wipe();
    showEmpty("draw a digit");
    send();
  }

  function showEmpty(message) {
    root.dataset.state = "empty";
    status.textContent = message;
    flag.textContent = "";
    previews.replaceChildren();
    models.replaceChildren();
  }

  function showResult() {
    const result = model.get("result");
    if (!result || result.request !== request) return; // an answer to an older stroke: a newer one is on its way
    if (result.state !== "ok") {
      showEmpty(result.message || "draw a digit");
      root.dataset.state = result.state;
      return;
    }
    root.dataset.state = "ok";
    const count = result.digits.length > 1 ? `${result.digits.length} digits, left to right` : "";
    status.textContent = [count, result.message].filter(Boolean).join("; "); // message: a digit that failed
    previews.replaceChildren(
      ...result.digits.map(({ preview }) => {
        const image = element("img", "mnist-pad-preview");
        image.alt = "The 28x28 input the models see";
        image.width = 84;
        image.height = 84;
        image.src = preview;
        return image;
      }),
    );
    const flagged = result.digits
      .map(({ warning }, index) => (warning ? (result.digits.length > 1 ? `digit ${index + 1}: ${warning}` : warning) : ""))
      .filter(Boolean);
    flag.textContent = flagged.length ? `does not look like a digit: ${flagged.join("; ")}` : "";
    root.dataset.flagged = flagged.length ? "true" : "false";
    const blocks = result.models.map(({ name, number, digits }) => {
      const block = element("div", "mnist-pad-model");
      block.dataset.model = name;
      block.dataset.number = number;
      const heading = element("div", "mnist-pad-model-name", name);
      block.append(heading, element("div", "mnist-pad-number", number));
      if (digits.length === 1) {
        block.append(guessList(digits[0].top));
      } else {
        const each = element("div", "mnist-pad-each");
        for (const { top } of digits) {
          each.append(element("span", "mnist-pad-each-digit", `${top[0].digit} ${(top[0].probability * 100).toFixed(0)}%`));
        }
        block.append(each);
      }
      return block;
    });
    models.replaceChildren(...blocks);
  }

  wipe();
  canvas.addEventListener("pointerdown", onDown);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerup", onUp);
  canvas.addEventListener("pointercancel", onUp);
  undo.addEventListener("click", onUndo);
  clear.addEventListener("click", onClear);
  model.on("change:result", showResult);
  showEmpty("draw a digit");

  return () => {
    model.off("change:result", showResult);
  };
}

export default { render };
