const f=window.flags;if(f["front-end-only"])render();if(f["front-end-longer-v2"])old();
