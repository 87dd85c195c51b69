// An npm user's webpack app: imports the package by name and runs both models.
import { create, InpageError } from 'inpage';
import { runModels } from '../../consumer/src/run-models.js';

window.consumer = { run: (...args) => runModels({ create, InpageError }, ...args) };
