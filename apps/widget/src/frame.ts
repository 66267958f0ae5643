document.getElementById('app')?.append('chat');
