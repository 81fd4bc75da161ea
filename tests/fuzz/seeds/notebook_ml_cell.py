from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report

X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, random_state=42, stratify=y
)
model = RandomForestClassifier(n_estimators=200, max_depth=None, n_jobs=-1)
model.fit(X_train, y_train)
print(classification_report(y_test, model.predict(X_test)))
importances = sorted(zip(model.feature_importances_, X.columns), reverse=True)[:10]
for score, name in importances:
    print(f"{name:<20} {score:.3f}")
