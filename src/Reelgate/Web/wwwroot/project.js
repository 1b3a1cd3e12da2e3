// The project page: photos dropped become clips, which are reviewed, approved, ordered and assembled with music,
// all through the project API (the session cookie authenticates it). The page redraws from the API's answer each time.
(() => {
  "use strict";

  const POLL_MS = 1500;

  function start() {
    const root = document.querySelector("[data-project]");
    if (!root || root.dataset.started) return;
    root.dataset.started = "true";
    new ProjectPage(root).load();
  }

  class ProjectPage {
    constructor(root) {
      this.root = root;
      this.id = root.dataset.project;
      this.maxImageBytes = Number(root.dataset.maxImageBytes);
      this.maxAudioBytes = Number(root.dataset.maxAudioBytes);
      this.project = null;
      this.selected = null;
      this.dragged = null;
      this.timer = null;
      this.busy = 0;
      this.wire();
    }

    part(role) {
      return this.root.querySelector(`[data-role="${role}"]`);
    }

    wire() {
      const zone = this.part("dropzone");
      zone.addEventListener("dragover", (event) => {
        if (![...event.dataTransfer.types].includes("Files")) return;
        event.preventDefault();
        zone.classList.add("over");
      });
      zone.addEventListener("dragleave", () => zone.classList.remove("over"));
      zone.addEventListener("drop", (event) => {
        event.preventDefault();
        zone.classList.remove("over");
        this.addPhotos([...event.dataTransfer.files]);
      });
      this.part("photos").addEventListener("change", (event) => {
        this.addPhotos([...event.target.files]);
        event.target.value = "";
      });

      const list = this.part("clips");
      list.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-action]");
        const item = event.target.closest("[data-clip-id]");
        if (!item) return;
        if (button) this.act(button.dataset.action, item.dataset.clipId);
        else this.select(item.dataset.clipId);
      });
      list.addEventListener("dragstart", (event) => {
        const item = event.target.closest("[data-clip-id]");
        if (!item) return;
        this.dragged = item.dataset.clipId;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", this.dragged);
        item.classList.add("dragging");
      });
      list.addEventListener("dragover", (event) => {
        if (this.dragged && event.target.closest("[data-clip-id]")) event.preventDefault();
      });
      list.addEventListener("drop", (event) => {
        const target = event.target.closest("[data-clip-id]");
        if (!this.dragged || !target) return;
        event.preventDefault();
        const order = this.order().filter((id) => id !== this.dragged);
        const rect = target.getBoundingClientRect();
        let index = order.indexOf(target.dataset.clipId);
        if (target.dataset.clipId === this.dragged) return;
        if (event.clientY > rect.top + rect.height / 2) index += 1;
        order.splice(index, 0, this.dragged);
        this.dragged = null;
        this.reorder(order);
      });
      list.addEventListener("dragend", () => {
        this.dragged = null;
        list.querySelectorAll(".dragging").forEach((item) => item.classList.remove("dragging"));
      });

      this.part("music-file").addEventListener("change", (event) => this.musicFromFile(event.target));
      this.part("music-url-save").addEventListener("click", () => this.musicFromUrl());
      this.part("music-remove").addEventListener("click", () => this.update({ removeMusic: true }, "Music removed."));
      this.part("assemble").addEventListener("click", () => this.assemble());
    }

    async api(method, path, body) {
      const init = { method, credentials: "same-origin", headers: { accept: "application/json" } };
      if (body instanceof FormData) init.body = body;
      else if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers["content-type"] = "application/json";
      }
      const response = await fetch(path, init);
      const text = await response.text();
      const json = text ? JSON.parse(text) : null;
      if (!response.ok) throw new Error(describeProblem(json, response.status));
      return json;
    }

    async load() {
      clearTimeout(this.timer);
      if (!this.root.isConnected) return;
      try {
        this.project = await this.api("GET", `/api/v1/projects/${this.id}`);
        this.render();
      } catch (error) {
        this.showError(`Could not load the project: ${error.message} Reload the page to try again.`);
      }
      if (this.project && this.isBusy()) this.timer = setTimeout(() => this.load(), POLL_MS);
    }

    isBusy() {
      return this.project.status === "assembling" || this.project.clips.some((clip) => clip.status === "generating");
    }

    order() {
      return this.project.clips.map((clip) => clip.id);
    }

    async run(work) {
      this.busy += 1;
      this.showError(null);
      try {
        await work();
      } catch (error) {
        this.showError(error.message);
      } finally {
        this.busy -= 1;
        await this.load();
      }
    }

    addPhotos(files) {
      const photos = files.filter((file) => file.size > 0);
      if (photos.length === 0) return;
      return this.run(async () => {
        const refused = [];
        for (const file of photos) {
          if (file.size > this.maxImageBytes) {
            refused.push(`${file.name} is larger than ${Math.floor(this.maxImageBytes / 1048576)} MB.`);
            continue;
          }
          try {
            const form = new FormData();
            form.append("file", file, file.name);
            const upload = await this.api("POST", "/api/v1/uploads", form);
            const clip = await this.api("POST", "/api/v1/clips", { projectId: this.id, uploadId: upload.id });
            this.selected ??= clip.id;
          } catch (error) {
            refused.push(`${file.name}: ${error.message}`);
          }
          await this.load();
        }
        if (refused.length > 0) throw new Error(refused.join(" "));
      });
    }

    act(action, clipId) {
      const index = this.order().indexOf(clipId);
      switch (action) {
        case "approve":
        case "unapprove":
          return this.run(() => this.api("PUT", `/api/v1/clips/${clipId}/approve`, { approved: action === "approve" }));
        case "regenerate":
          return this.run(() => this.api("POST", `/api/v1/clips/${clipId}/regenerate`));
        case "delete":
          if (!window.confirm("Delete this clip and its photo?")) return;
          if (this.selected === clipId) this.selected = null;
          return this.run(() => this.api("DELETE", `/api/v1/clips/${clipId}`));
        case "up":
        case "down": {
          const order = this.order();
          const to = action === "up" ? index - 1 : index + 1;
          if (to < 0 || to >= order.length) return;
          [order[index], order[to]] = [order[to], order[index]];
          this.refocus = { clipId, action: to === 0 ? "down" : to === order.length - 1 ? "up" : action };
          return this.reorder(order);
        }
        case "play":
          return this.select(clipId);
      }
    }

    reorder(order) {
      return this.run(() => this.update({ clipOrder: order }));
    }

    async update(body, message) {
      await this.api("PUT", `/api/v1/projects/${this.id}`, body);
      if (message) this.announce(message);
    }

    musicFromFile(input) {
      const file = input.files?.[0];
      input.value = "";
      if (!file) return;
      if (file.size > this.maxAudioBytes) {
        this.showError(`${file.name} is larger than ${Math.floor(this.maxAudioBytes / 1048576)} MB.`);
        return;
      }
      return this.run(async () => {
        const form = new FormData();
        form.append("file", file, file.name);
        const upload = await this.api("POST", "/api/v1/uploads", form);
        await this.update({ musicUploadId: upload.id }, "Music added.");
      });
    }

    musicFromUrl() {
      const field = this.part("music-url");
      if (!field.value.trim()) {
        this.showError("Enter the address of an MP3, M4A or WAV file.");
        return;
      }
      return this.run(async () => {
        await this.update({ musicUrl: field.value.trim() }, "Music added.");
        field.value = "";
      });
    }

    assemble() {
      return this.run(() => this.api("POST", `/api/v1/projects/${this.id}/assemble`, { transition: this.part("transition").value }));
    }

    select(clipId) {
      this.selected = clipId;
      this.renderPlayer();
      this.part("clips").querySelectorAll("[data-clip-id]").forEach((item) => item.classList.toggle("selected", item.dataset.clipId === clipId));
    }

    render() {
      const project = this.project;
      this.root.querySelector("[data-testid=project-status]").innerHTML = badge(project.status);
      this.renderClips();
      this.renderPlayer();
      this.renderMusic();
      this.renderAssemble();
      this.renderFinal();
    }

    renderClips() {
      const list = this.part("clips");
      const focused = document.activeElement?.closest?.("[data-clip-id]");
      const keep = this.refocus ?? (focused && { clipId: focused.dataset.clipId, action: document.activeElement.dataset.action });
      this.refocus = null;
      const clips = this.project.clips;
      const approved = clips.filter((clip) => clip.approved).length;
      this.part("clip-summary").textContent = clips.length === 0 ? "" : `${clips.length} clips · ${approved} approved`;
      if (this.selected && !clips.some((clip) => clip.id === this.selected)) this.selected = null;
      this.selected ??= clips.find((clip) => clip.video)?.id ?? null;
      list.replaceChildren(...clips.map((clip, index) => this.clipItem(clip, index, clips.length)));
      if (clips.length === 0) {
        const empty = document.createElement("li");
        empty.className = "empty";
        empty.innerHTML = '<p class="empty-title">No clips yet</p><p class="muted">Drop photos above: each one becomes a clip you can review here.</p>';
        list.append(empty);
      }
      if (keep) {
        const item = list.querySelector(`[data-clip-id="${keep.clipId}"]`);
        (item?.querySelector(`[data-action="${keep.action}"]:not([disabled])`) ?? item)?.focus();
      }
    }

    clipItem(clip, index, count) {
      const item = document.createElement("li");
      item.className = `clip${clip.id === this.selected ? " selected" : ""}${clip.approved ? " approved" : ""}`;
      item.dataset.clipId = clip.id;
      item.dataset.testid = "clip";
      item.dataset.status = clip.status;
      item.draggable = true;
      item.tabIndex = -1;
      const label = `Clip ${index + 1}`;
      item.setAttribute("aria-label", `${label}, ${clip.status}${clip.approved ? ", approved" : ""}`);
      const done = clip.status === "done" && clip.video;
      const generating = clip.status === "generating";
      const note = generating
        ? clip.regenerating ? "Regenerating; the current video stays until the new one is done." : "Generating…"
        : clip.error ? `${clip.status === "failed" ? "Failed" : "The last regeneration failed"}: ${clip.error.message}` : "";
      item.innerHTML = `
        <img class="thumb" alt="" loading="lazy">
        <div class="clip-main">
          <div class="clip-title"><strong></strong> ${badge(clip.status)} ${clip.approved ? '<span class="badge approved-badge">approved</span>' : ""}</div>
          <div class="muted small"><span data-role="price"></span></div>
          <div class="small clip-note"></div>
          <div class="clip-actions">
            <button type="button" class="btn small" data-action="play" ${clip.video ? "" : "disabled"}>Play</button>
            <button type="button" class="btn small${clip.approved ? "" : " primary"}" data-action="${clip.approved ? "unapprove" : "approve"}" ${done ? "" : "disabled"}>${clip.approved ? "Unapprove" : "Approve"}</button>
            <button type="button" class="btn small" data-action="regenerate" ${generating ? "disabled" : ""}>Regenerate</button>
            <button type="button" class="btn small danger" data-action="delete">Delete</button>
            <button type="button" class="btn small ghost" data-action="up" ${index === 0 ? "disabled" : ""}>Move up</button>
            <button type="button" class="btn small ghost" data-action="down" ${index === count - 1 ? "disabled" : ""}>Move down</button>
          </div>
        </div>`;
      item.querySelector("img").src = clip.image.url;
      item.querySelector("strong").textContent = label;
      item.querySelector("[data-role=price]").textContent = `${clip.durationSec} s · ${clip.price.toFixed(2)} credits per generation`;
      const noteElement = item.querySelector(".clip-note");
      noteElement.textContent = note;
      noteElement.classList.toggle("error-text", Boolean(clip.error) && !generating);
      for (const button of item.querySelectorAll("button[data-action]")) {
        button.setAttribute("aria-label", `${button.textContent} ${label.toLowerCase()}`);
      }
      return item;
    }

    renderPlayer() {
      const clips = this.project.clips;
      const player = this.part("player");
      const index = clips.findIndex((clip) => clip.id === this.selected);
      const clip = clips[index];
      const caption = this.part("player-caption");
      if (!clip?.video) {
        if (player.getAttribute("src")) player.removeAttribute("src");
        caption.textContent = clips.length === 0 ? "Your clips will play here." : "Select a finished clip to watch it.";
        return;
      }
      if (player.dataset.clipId !== clip.id || player.dataset.job !== clip.jobId + clip.status) {
        player.dataset.clipId = clip.id;
        player.dataset.job = clip.jobId + clip.status;
        player.src = clip.video.url;
      }
      caption.textContent = `Clip ${index + 1} of ${clips.length}`;
      // The next clip with a video is loaded ahead, so moving on starts at once.
      const next = clips.slice(index + 1).find((c) => c.video);
      const preload = this.part("preload");
      if (next && preload.dataset.clipId !== next.id) {
        preload.dataset.clipId = next.id;
        preload.src = next.video.url;
      }
    }

    renderMusic() {
      const music = this.project.music;
      const preview = this.part("music-preview");
      this.part("music-remove").hidden = !music;
      if (!music) {
        this.part("music-current").textContent = "No music yet. Upload a file or link to one; it is trimmed to the video and fades out at the end.";
        preview.hidden = true;
        preview.removeAttribute("src");
        delete preview.dataset.source;
        return;
      }
      this.part("music-current").textContent = music.source.startsWith("upload:") ? "Music: an uploaded file." : `Music: ${music.source}`;
      preview.hidden = false;
      if (preview.dataset.source !== music.source) {
        preview.dataset.source = music.source;
        preview.src = music.link.url;
      }
    }

    renderAssemble() {
      const project = this.project;
      const button = this.part("assemble");
      const note = this.part("assemble-note");
      const generating = project.clips.filter((clip) => clip.status === "generating").length;
      const approved = project.clips.filter((clip) => clip.approved).length;
      button.disabled = project.status === "assembling" || generating > 0 || approved === 0 || this.busy > 0;
      button.textContent = project.assemblyPrice == null ? "Assemble" : `Assemble · ${project.assemblyPrice.toFixed(2)} credits`;
      note.textContent = project.status === "assembling" ? "Assembling your video…"
        : generating > 0 ? `Wait for ${generating} clip${generating === 1 ? "" : "s"} to finish generating.`
        : approved === 0 ? "Approve at least one clip to assemble."
        : `${approved} approved clip${approved === 1 ? "" : "s"} in this order${project.music ? ", with music" : ""}.`;
    }

    renderFinal() {
      const final = this.project.finalVideo;
      const section = this.part("final");
      section.hidden = !final;
      if (!final) return;
      const video = this.part("final-video");
      if (video.dataset.job !== final.jobId) {
        video.dataset.job = final.jobId;
        video.src = final.video.url;
      }
      const url = new URL(final.video.url, location.href);
      url.searchParams.set("download", "1");
      this.part("final-download").href = url.toString();
      const stale = this.project.status !== "assembled" ? " The project changed since; assemble again for a new video." : "";
      this.part("final-caption").textContent = `${(final.duration ?? 0).toFixed(1)} s, assembled ${new Date(final.completedAt).toLocaleString()}.${stale}`;
    }

    showError(message) {
      const alert = this.part("error");
      alert.hidden = !message;
      alert.textContent = message ?? "";
    }

    announce(message) {
      this.part("assemble-note").textContent = message;
    }
  }

  function badge(status) {
    const text = status.replace("_", " ");
    return `<span class="badge status-${status}">${text}</span>`;
  }

  function describeProblem(problem, status) {
    if (!problem) return `The server answered ${status}.`;
    const errors = problem.errors ? Object.values(problem.errors).flat() : [];
    return [problem.detail ?? problem.title, ...errors.filter((e) => !String(problem.detail ?? "").includes(e))].filter(Boolean).join(" ");
  }

  document.addEventListener("DOMContentLoaded", start);
  window.Blazor?.addEventListener("enhancedload", start);
})();
