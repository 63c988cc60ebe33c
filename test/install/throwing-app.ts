// An --app module for the failed-start tests: throws while it is imported, as a broken app does.
throw new Error('throwing-app: the database URL is not set');
